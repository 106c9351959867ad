// Command {{name}} is a greeter plugin: a go-plugin host (the Greeter Plugins extension,
// or any Go program built with hashicorp/go-plugin) launches it and calls Greet over gRPC.
// Edit the greeting below, run ./build.sh, and the next Greet answers with it.
package main

import (
	"context"
	"errors"
	"fmt"
	"os"

	"github.com/hashicorp/go-hclog"
	"github.com/hashicorp/go-plugin"
	"google.golang.org/grpc"

	"greeter-plugin.local/plugin/api"
)

// greeting starts every answer: Greet("Alice") returns "hello Alice".
const greeting = "hello"

// handshake is the "gRPC Plugins in Go" tutorial's: hosts launch the plugin with
// BASIC_PLUGIN=hello and app protocol version 1, and refuse a plugin that disagrees.
var handshake = plugin.HandshakeConfig{
	ProtocolVersion:  1,
	MagicCookieKey:   "BASIC_PLUGIN",
	MagicCookieValue: "hello",
}

// greeterServer is tutorial.Greeter, served in this process.
type greeterServer struct {
	api.UnimplementedGreeterServer
	logger hclog.Logger
}

// Greet logs to stderr (hclog JSON: the host shows it at its level in the plugin's log),
// prints to stdout (forwarded to the same log over go-plugin's stdio stream) and answers.
func (s *greeterServer) Greet(_ context.Context, person *api.Person) (*api.Greeting, error) {
	s.logger.Info("greeting", "name", person.GetName())
	fmt.Println("greeted", person.GetName())
	return &api.Greeting{Message: greeting + " " + person.GetName()}, nil
}

// greeterPlugin tells go-plugin how to serve the Greeter; this program is never a host.
type greeterPlugin struct {
	plugin.Plugin
	logger hclog.Logger
}

func (p *greeterPlugin) GRPCServer(_ *plugin.GRPCBroker, s *grpc.Server) error {
	api.RegisterGreeterServer(s, &greeterServer{logger: p.logger})
	return nil
}

func (p *greeterPlugin) GRPCClient(context.Context, *plugin.GRPCBroker, *grpc.ClientConn) (interface{}, error) {
	return nil, errors.New("{{name}} is a plugin, not a host")
}

func main() {
	// Created before plugin.Serve takes over os.Stderr, so log lines reach the host as JSON.
	logger := hclog.New(&hclog.LoggerOptions{
		Name:       "{{name}}",
		Level:      hclog.Debug,
		Output:     os.Stderr,
		JSONFormat: true,
	})
	plugin.Serve(&plugin.ServeConfig{
		HandshakeConfig: handshake,
		// "greet" is the name hosts dispense the plugin by (the tutorial's plugin map key).
		Plugins:    map[string]plugin.Plugin{"greet": &greeterPlugin{logger: logger}},
		GRPCServer: plugin.DefaultGRPCServer,
		Logger:     logger,
	})
}
