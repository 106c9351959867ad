package main

import (
	"bytes"
	"io"
	"sync"
)

// lineWaiter passes the plugin's forwarded stdout through and signals once a given
// number of lines has arrived. go-plugin does not drain GRPCStdio before Kill, so a
// caller that must see the plugin's stdout waits for it explicitly instead of sleeping.
type lineWaiter struct {
	out    io.Writer
	mu     sync.Mutex
	lines  int
	target int
	done   chan struct{}
}

// newLineWaiter returns a writer to out whose done channel closes after target lines
// (immediately when target is 0).
func newLineWaiter(out io.Writer, target int) *lineWaiter {
	w := &lineWaiter{out: out, target: target, done: make(chan struct{})}
	if target <= 0 {
		close(w.done)
	}
	return w
}

// Write forwards p and counts its newlines.
func (w *lineWaiter) Write(p []byte) (int, error) {
	w.mu.Lock()
	defer w.mu.Unlock()
	before := w.lines
	w.lines += bytes.Count(p, []byte{'\n'})
	if before < w.target && w.lines >= w.target {
		close(w.done)
	}
	return w.out.Write(p)
}

// count reports how many lines have arrived so far.
func (w *lineWaiter) count() int {
	w.mu.Lock()
	defer w.mu.Unlock()
	return w.lines
}
