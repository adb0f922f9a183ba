package main

import (
	"fmt"
	"io"
	"os"

	"github.com/sirupsen/logrus"
	"golang.org/x/term"

	"github.com/engage-oss/engage/internal/logjson"
)

// checkLogFormat refuses a --log-format other than auto, text or json.
func checkLogFormat(format string) error {
	switch format {
	case "auto", "text", "json":
		return nil
	}
	return fmt.Errorf("--log-format %q: want auto, text or json", format)
}

// newLogger returns the service's logger writing to w at level (checked) in format: text,
// json, or auto, which is text when w is a terminal and JSON otherwise (a file, a pipe, a
// log collector).
func newLogger(w io.Writer, level, format string) *logrus.Logger {
	log := logrus.New()
	log.SetOutput(w)
	lvl, _ := logrus.ParseLevel(level) // checked by the caller
	log.SetLevel(lvl)
	if format == "json" || (format == "auto" && !isTerminal(w)) {
		log.SetFormatter(&logjson.Formatter{})
	}
	return log
}

// isTerminal reports whether w is a terminal.
func isTerminal(w io.Writer) bool {
	f, ok := w.(*os.File)
	return ok && term.IsTerminal(int(f.Fd()))
}
