package main

import (
	"bufio"
	"fmt"
	"os"
	"os/exec"
	"runtime"
	"runtime/debug"
	"sync"
	"sync/atomic"
	"syscall"
	"time"
)

// measureCold: spawn -> handshake -> connected -> first Greet, then the stop time.
func measureCold(req request) (map[string]any, error) {
	s, err := startGreeter(req)
	if err != nil {
		return nil, err
	}
	return map[string]any{
		"handshakeMs":  s.handshakeMs,
		"connectedMs":  s.connectedMs,
		"firstGreetMs": s.firstGreetMs,
		"stopMs":       stopTimed(s.client),
	}, nil
}

// measureFloor: exec to the handshake line with no host library at all.
func measureFloor(req request) (map[string]any, error) {
	dir, err := os.MkdirTemp("", "plugin-dir")
	if err != nil {
		return nil, err
	}
	defer os.RemoveAll(dir)
	cmd := exec.Command(req.Plugin)
	cmd.Env = append(os.Environ(),
		"BASIC_PLUGIN=hello", "PLUGIN_PROTOCOL_VERSIONS=1", "PLUGIN_MIN_PORT=10000",
		"PLUGIN_MAX_PORT=25000", "PLUGIN_UNIX_SOCKET_DIR="+dir)
	if req.ClientCertPem != "" {
		cmd.Env = append(cmd.Env, "PLUGIN_CLIENT_CERT="+req.ClientCertPem)
	}
	stdout, err := cmd.StdoutPipe()
	if err != nil {
		return nil, err
	}
	t0 := time.Now()
	if err := cmd.Start(); err != nil {
		return nil, err
	}
	line, err := bufio.NewReader(stdout).ReadString('\n')
	elapsed := msSince(t0)
	_ = cmd.Process.Kill()
	_ = cmd.Wait()
	if err != nil {
		return nil, fmt.Errorf("reading the handshake line: %w", err)
	}
	return map[string]any{"handshakeMs": elapsed, "line": len(line)}, nil
}

// measureWarm: Calls sequential Greets on one connection, each timed, after Warmup calls.
func measureWarm(req request) (map[string]any, error) {
	s, err := startGreeter(req)
	if err != nil {
		return nil, err
	}
	defer s.client.Kill()
	for i := 0; i < req.Warmup; i++ {
		if _, err := greetOnce(s.greeter, "Alice"); err != nil {
			return nil, err
		}
	}
	latencies := make([]float64, req.Calls)
	cpu0 := cpuTime()
	for i := range latencies {
		t0 := time.Now()
		if _, err := greetOnce(s.greeter, "Alice"); err != nil {
			return nil, err
		}
		latencies[i] = float64(time.Since(t0).Nanoseconds()) / 1e3
	}
	cpuPerCall := float64((cpuTime() - cpu0).Microseconds()) / float64(req.Calls)
	return map[string]any{"latenciesUs": latencies, "cpuPerCallUs": cpuPerCall}, nil
}

// measureThroughput: InFlight concurrent callers on one connection for DurationMs,
// after a warm-up of a quarter of that.
func measureThroughput(req request) (map[string]any, error) {
	s, err := startGreeter(req)
	if err != nil {
		return nil, err
	}
	defer s.client.Kill()
	if _, err := greetLoop(s, req.InFlight, time.Duration(req.DurationMs/4)*time.Millisecond); err != nil {
		return nil, err
	}
	t0, cpu0 := time.Now(), cpuTime()
	calls, err := greetLoop(s, req.InFlight, time.Duration(req.DurationMs)*time.Millisecond)
	if err != nil {
		return nil, err
	}
	elapsed := time.Since(t0).Seconds()
	cpuPerCall := float64((cpuTime() - cpu0).Microseconds()) / float64(calls)
	return map[string]any{"calls": calls, "elapsedMs": elapsed * 1e3, "perSecond": float64(calls) / elapsed, "cpuPerCallUs": cpuPerCall}, nil
}

// greetLoop runs inFlight callers that greet back to back until the duration is over.
func greetLoop(s *started, inFlight int, d time.Duration) (int64, error) {
	end := time.Now().Add(d)
	var calls atomic.Int64
	var wg sync.WaitGroup
	errs := make(chan error, inFlight)
	for i := 0; i < inFlight; i++ {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for time.Now().Before(end) {
				if _, err := greetOnce(s.greeter, "Alice"); err != nil {
					errs <- err
					return
				}
				calls.Add(1)
			}
		}()
	}
	wg.Wait()
	close(errs)
	return calls.Load(), <-errs
}

// measureStop: start (with Env, e.g. for a plugin that ignores Shutdown), greet, time the stop.
func measureStop(req request) (map[string]any, error) {
	s, err := startGreeter(req)
	if err != nil {
		return nil, err
	}
	return map[string]any{"stopMs": stopTimed(s.client)}, nil
}

// measureScale: Count plugins started at once; time until every one has answered a
// Greet, the host's resident memory per running plugin, then the time to stop them all.
func measureScale(req request) (map[string]any, error) {
	before := settledResidentBytes()
	t0 := time.Now()
	all := make([]*started, req.Count)
	errs := make([]error, req.Count)
	var wg sync.WaitGroup
	for i := range all {
		wg.Add(1)
		go func(i int) {
			defer wg.Done()
			all[i], errs[i] = startGreeter(req)
		}(i)
	}
	wg.Wait()
	allAnswered := msSince(t0)
	after := settledResidentBytes()
	t1 := time.Now()
	var firstErr error
	for i, s := range all {
		if s != nil {
			wg.Add(1)
			go func() { defer wg.Done(); s.client.Kill() }()
		} else if firstErr == nil {
			firstErr = errs[i]
		}
	}
	wg.Wait()
	stopAll := msSince(t1)
	if firstErr != nil {
		return nil, firstErr
	}
	return map[string]any{
		"allAnsweredMs":  allAnswered,
		"rssBeforeBytes": before,
		"rssAfterBytes":  after,
		"perPluginBytes": float64(after-before) / float64(req.Count),
		"stopAllMs":      stopAll,
	}, nil
}

// settledResidentBytes is the resident set after a full collection, so garbage does not count.
func settledResidentBytes() int64 {
	runtime.GC()
	debug.FreeOSMemory()
	return residentBytes()
}

// cpuTime is the user + system CPU time this process has used, all threads included.
func cpuTime() time.Duration {
	var ru syscall.Rusage
	if err := syscall.Getrusage(syscall.RUSAGE_SELF, &ru); err != nil {
		return 0
	}
	return time.Duration(ru.Utime.Nano() + ru.Stime.Nano())
}

// residentBytes reads VmRSS from /proc/self/status (Linux).
func residentBytes() int64 {
	f, err := os.Open("/proc/self/status")
	if err != nil {
		return -1
	}
	defer f.Close()
	sc := bufio.NewScanner(f)
	for sc.Scan() {
		var kb int64
		if n, _ := fmt.Sscanf(sc.Text(), "VmRSS: %d kB", &kb); n == 1 {
			return kb * 1024
		}
	}
	return -1
}
