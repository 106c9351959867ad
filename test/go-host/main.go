// Command go-host launches a greeter plugin with HashiCorp go-plugin's own client, the
// way the "gRPC Plugins in Go" tutorial's host does, and prints its greetings. It is the
// reference peer for interop tests and benchmarks of plugins written with this project.
//
//	go-host -plugin PATH [-automtls] [-n N] [-log-level LEVEL] [-await-stdout-lines L] NAME
//
// Stdout carries only the greetings, one line per call. Stderr carries go-plugin's
// logs (including the plugin's relayed stderr) and the plugin's stdout/stderr received
// over GRPCStdio. Exit status is 0 on success and 1 on any error.
//
// go-plugin does not drain GRPCStdio before killing the plugin, so forwarded stdout can
// be lost at exit; -await-stdout-lines L makes the host wait (up to 5s) for L lines of
// forwarded plugin stdout before it kills the plugin, and fail if they do not arrive.
package main

import (
	"bufio"
	"context"
	"errors"
	"flag"
	"fmt"
	"os"
	"os/exec"
	"os/signal"
	"syscall"
	"time"

	"github.com/greeter-plugins/greeter-plugins/examples/go-greeter/shared"
	"github.com/hashicorp/go-hclog"
	"github.com/hashicorp/go-plugin"
)

// options are the parsed command-line arguments.
type options struct {
	pluginPath string
	autoMTLS   bool
	calls      int
	logLevel   string
	stdoutWait int
	name       string
}

// stdoutWaitLimit bounds how long -await-stdout-lines waits for forwarded stdout.
const stdoutWaitLimit = 5 * time.Second

func main() {
	opts, err := parseArgs(os.Args[1:])
	if err != nil {
		fmt.Fprintln(os.Stderr, "go-host:", err)
		os.Exit(1)
	}
	if err := run(opts); err != nil {
		fmt.Fprintln(os.Stderr, "go-host:", err)
		os.Exit(1)
	}
}

// parseArgs reads the flags and the single NAME argument.
func parseArgs(args []string) (options, error) {
	var opts options
	fs := flag.NewFlagSet("go-host", flag.ContinueOnError)
	fs.StringVar(&opts.pluginPath, "plugin", "", "path to the plugin executable (required)")
	fs.BoolVar(&opts.autoMTLS, "automtls", false, "negotiate go-plugin AutoMTLS with the plugin")
	fs.IntVar(&opts.calls, "n", 1, "number of Greet calls to make")
	fs.StringVar(&opts.logLevel, "log-level", "trace", "go-plugin host log level on stderr (trace, debug, info, warn, error, off)")
	fs.IntVar(&opts.stdoutWait, "await-stdout-lines", 0, "before exiting, wait for this many lines of plugin stdout forwarded over GRPCStdio")
	fs.Usage = func() {
		fmt.Fprintln(fs.Output(), "usage: go-host -plugin PATH [-automtls] [-n N] [-log-level LEVEL] [-await-stdout-lines L] NAME")
		fs.PrintDefaults()
	}
	if err := fs.Parse(args); err != nil {
		return opts, err
	}
	if opts.pluginPath == "" {
		return opts, errors.New("-plugin PATH is required")
	}
	if opts.calls < 1 {
		return opts, fmt.Errorf("-n must be at least 1, got %d", opts.calls)
	}
	if fs.NArg() != 1 {
		return opts, fmt.Errorf("expected exactly one NAME argument, got %d", fs.NArg())
	}
	if opts.stdoutWait < 0 {
		return opts, fmt.Errorf("-await-stdout-lines must not be negative, got %d", opts.stdoutWait)
	}
	opts.name = fs.Arg(0)
	return opts, nil
}

// run launches the plugin, greets opts.calls times and always kills the plugin before returning.
func run(opts options) error {
	logger := hclog.New(&hclog.LoggerOptions{
		Name:   "go-host",
		Level:  hclog.LevelFromString(opts.logLevel),
		Output: os.Stderr,
	})
	pluginStdout := newLineWaiter(os.Stderr, opts.stdoutWait)

	client := plugin.NewClient(&plugin.ClientConfig{
		HandshakeConfig: shared.Handshake,
		Plugins:         shared.PluginMap,
		// Exec the plugin directly (not via "sh -c") so its pid is the plugin's own.
		Cmd:              exec.Command(opts.pluginPath),
		AllowedProtocols: []plugin.Protocol{plugin.ProtocolGRPC},
		AutoMTLS:         opts.autoMTLS,
		Logger:           logger,
		// The plugin's stdout/stderr arrive over GRPCStdio; keep stdout for greetings only.
		SyncStdout: pluginStdout,
		SyncStderr: os.Stderr,
	})
	defer client.Kill()
	stopOnSignal(client)

	rpcClient, err := client.Client()
	if err != nil {
		return fmt.Errorf("starting plugin %s: %w", opts.pluginPath, err)
	}
	if err := rpcClient.Ping(); err != nil {
		return fmt.Errorf("pinging plugin: %w", err)
	}
	raw, err := rpcClient.Dispense(shared.PluginKey)
	if err != nil {
		return fmt.Errorf("dispensing %q: %w", shared.PluginKey, err)
	}
	greeter, ok := raw.(*shared.GRPCClient)
	if !ok {
		return fmt.Errorf("dispensed %q is a %T, not a greeter client", shared.PluginKey, raw)
	}

	out := bufio.NewWriter(os.Stdout)
	defer out.Flush() // keeps earlier greetings visible when a later call fails
	started := time.Now()
	for i := 0; i < opts.calls; i++ {
		message, err := greeter.GreetContext(context.Background(), opts.name)
		if err != nil {
			return fmt.Errorf("Greet call %d of %d: %w", i+1, opts.calls, err)
		}
		fmt.Fprintln(out, message)
	}
	if err := out.Flush(); err != nil {
		return fmt.Errorf("writing greetings: %w", err)
	}
	if opts.calls > 1 {
		elapsed := time.Since(started)
		logger.Info("calls done", "calls", opts.calls, "elapsed", elapsed.String(),
			"per_call_us", float64(elapsed.Microseconds())/float64(opts.calls))
	}

	select {
	case <-pluginStdout.done:
	case <-time.After(stdoutWaitLimit):
		return fmt.Errorf("got %d of %d lines of plugin stdout over GRPCStdio within %s",
			pluginStdout.count(), opts.stdoutWait, stdoutWaitLimit)
	}
	return nil
}

// stopOnSignal kills the plugin if the host is interrupted, so no plugin is orphaned.
func stopOnSignal(client *plugin.Client) {
	signals := make(chan os.Signal, 1)
	signal.Notify(signals, os.Interrupt, syscall.SIGTERM)
	go func() {
		sig := <-signals
		client.Kill()
		fmt.Fprintln(os.Stderr, "go-host: stopped by", sig)
		os.Exit(1)
	}()
}
