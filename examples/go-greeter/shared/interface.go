package shared

import (
	"context"

	"github.com/greeter-plugins/greeter-plugins/examples/go-greeter/api"
)

// Greeter is the interface a plugin implements and a host calls, as in the tutorial.
type Greeter interface {
	Greet(name string) string
}

// GRPCClient is the host-side Greeter: every call goes over gRPC to the plugin process.
type GRPCClient struct {
	client api.GreeterClient
}

// Greet keeps the tutorial's error-less signature, so a failed call panics;
// hosts that must handle failures use GreetContext instead.
func (c *GRPCClient) Greet(name string) string {
	message, err := c.GreetContext(context.Background(), name)
	if err != nil {
		panic(err)
	}
	return message
}

// GreetContext calls the plugin's Greet and reports RPC failures as errors.
func (c *GRPCClient) GreetContext(ctx context.Context, name string) (string, error) {
	greeting, err := c.client.Greet(ctx, &api.Person{Name: name})
	if err != nil {
		return "", err
	}
	return greeting.GetMessage(), nil
}

// GRPCServer is the plugin-side gRPC service that forwards calls to the real Greeter.
type GRPCServer struct {
	api.UnimplementedGreeterServer
	Impl Greeter
}

// Greet adapts the gRPC request to the Go interface.
func (s *GRPCServer) Greet(ctx context.Context, person *api.Person) (*api.Greeting, error) {
	return &api.Greeting{Message: s.Impl.Greet(person.GetName())}, nil
}
