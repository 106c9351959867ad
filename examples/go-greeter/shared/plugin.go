package shared

import (
	"context"

	"github.com/greeter-plugins/greeter-plugins/examples/go-greeter/api"
	"github.com/hashicorp/go-plugin"
	"google.golang.org/grpc"
)

// GreetPlugin tells go-plugin how to serve a Greeter (plugin side) and how to wrap the
// connection to one (host side).
type GreetPlugin struct {
	// Embedding plugin.Plugin satisfies the net/rpc half of the interface; only gRPC is used.
	plugin.Plugin
	// Impl is the real Greeter; set only in the plugin process.
	Impl Greeter
}

// GRPCServer registers the Greeter service on the plugin's gRPC server.
func (p *GreetPlugin) GRPCServer(broker *plugin.GRPCBroker, s *grpc.Server) error {
	api.RegisterGreeterServer(s, &GRPCServer{Impl: p.Impl})
	return nil
}

// GRPCClient returns the host-side Greeter backed by the plugin connection.
func (p *GreetPlugin) GRPCClient(ctx context.Context, broker *plugin.GRPCBroker, c *grpc.ClientConn) (interface{}, error) {
	return &GRPCClient{client: api.NewGreeterClient(c)}, nil
}

// Compile-time check that GreetPlugin is a go-plugin gRPC plugin.
var _ plugin.GRPCPlugin = (*GreetPlugin)(nil)
