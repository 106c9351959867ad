// Command greeter is the tutorial's greeter plugin: launched by a go-plugin host, it
// serves the "greet" plugin over gRPC and answers Greet("Alice") with "hello Alice".
package main

import (
	"fmt"
	"os"

	"github.com/greeter-plugins/greeter-plugins/examples/go-greeter/shared"
	"github.com/hashicorp/go-hclog"
	"github.com/hashicorp/go-plugin"
)

// greeter is the real Greeter implementation that runs inside the plugin process.
type greeter struct {
	logger hclog.Logger
}

// Greet logs to stderr (which the host parses as JSON log lines) and prints to stdout
// (which the host receives over go-plugin's GRPCStdio stream), then answers.
func (g *greeter) Greet(name string) string {
	g.logger.Info("greeting", "name", name)
	fmt.Println("greeted", name)
	return "hello " + name
}

func main() {
	// Created before plugin.Serve swaps os.Stderr for its stdio pipe, so log lines go
	// straight to the real stderr, where go-plugin hosts expect hclog JSON.
	logger := hclog.New(&hclog.LoggerOptions{
		Name:       "greeter",
		Level:      hclog.Trace,
		Output:     os.Stderr,
		JSONFormat: true,
	})

	plugin.Serve(&plugin.ServeConfig{
		HandshakeConfig: shared.Handshake,
		Plugins: map[string]plugin.Plugin{
			shared.PluginKey: &shared.GreetPlugin{Impl: &greeter{logger: logger}},
		},
		GRPCServer: plugin.DefaultGRPCServer,
		Logger:     logger,
	})
}
