package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"net"
	"net/http"
	"os"

	"github.com/sirupsen/logrus"

	"github.com/engage-oss/engage/fixtures"
	"github.com/engage-oss/engage/provisioning"
	"github.com/engage-oss/engage/service"
	"github.com/engage-oss/engage/store"
)

// newDemoFlags returns the flags of engage demo, bound to the database path.
func newDemoFlags() (*flag.FlagSet, *string) {
	fs := flag.NewFlagSet("engage demo", flag.ContinueOnError)
	db := fs.String("db", "engage-demo.db", "new SQLite database `file` to create with the demo data")
	withEnvNames(fs)
	return fs, db
}

// demo creates a new database holding the demo data: an Enterprise, an Account, users, two
// agent groups with schedule groups, and agents in a few states. The data goes in as the SOAP
// requests of fixtures/demo, sent to the real endpoint on a loopback port of its own.
func demo(ctx context.Context, args []string, stdout, stderr io.Writer) error {
	fs, path := newDemoFlags()
	if err := parseFlags(fs, "Usage: engage demo [flags]", args, stdout, stderr); err != nil {
		return err
	}
	if _, err := os.Stat(*path); err == nil {
		return fmt.Errorf("%s exists: the demo data goes into a new database", *path)
	} else if !errors.Is(err, os.ErrNotExist) {
		return err
	}
	db, err := store.Open(*path)
	if err != nil {
		return err
	}
	defer db.Close()
	log := logrus.New()
	log.SetOutput(io.Discard)
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		return err
	}
	srv := &http.Server{Handler: service.New(service.Config{}, provisioning.NewService(db, provisioning.DefaultLimits()), log)}
	go srv.Serve(ln)
	defer srv.Close()
	url := "http://" + ln.Addr().String() + service.EndpointPath
	if err := fixtures.Replay(ctx, http.DefaultClient, url, fixtures.Demo, "demo"); err != nil {
		return fmt.Errorf("load demo data: %w", err)
	}
	fmt.Fprintf(stdout, "engage: demo data loaded into %s: Enterprise demo-enterprise, Account demo-account, "+
		"agent groups sales and support, agents agent01..agent06\n", *path)
	return nil
}
