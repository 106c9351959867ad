// Package shared is the contract between the greeter host and its plugins: the
// go-plugin handshake, the Go interface, and its gRPC client/server adapters.
package shared

import "github.com/hashicorp/go-plugin"

// Handshake is the tutorial's handshake; a host and plugin that disagree on it refuse
// to talk, which keeps non-plugins (and plugins for other hosts) from being launched.
var Handshake = plugin.HandshakeConfig{
	ProtocolVersion:  1,
	MagicCookieKey:   "BASIC_PLUGIN",
	MagicCookieValue: "hello",
}

// PluginKey is the name under which the greeter is served and dispensed.
const PluginKey = "greet"

// PluginMap is what a host passes to plugin.NewClient so it can dispense "greet".
var PluginMap = map[string]plugin.Plugin{
	PluginKey: &GreetPlugin{},
}
