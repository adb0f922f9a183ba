package main

import (
	"context"
	"crypto/rand"
	"encoding/base64"
	"errors"
	"flag"
	"fmt"
	"io"
	"net"
	"net/http"
	"os"

	"github.com/sirupsen/logrus"

	"github.com/engage-oss/engage/auth"
	"github.com/engage-oss/engage/fixtures"
	"github.com/engage-oss/engage/provisioning"
	"github.com/engage-oss/engage/service"
	"github.com/engage-oss/engage/store"
)

// demoOperator is the name of the operator engage demo creates.
const demoOperator = "demo"

// demoOptions are the settings of engage demo.
type demoOptions struct {
	db string
	// listen is where engage serve will listen, for the WSDL URL printed.
	listen string
}

// newDemoFlags returns the flags of engage demo, bound to a new demoOptions.
func newDemoFlags() (*flag.FlagSet, *demoOptions) {
	o := &demoOptions{}
	fs := flag.NewFlagSet("engage demo", flag.ContinueOnError)
	fs.StringVar(&o.db, "db", "engage-demo.db", "new SQLite database `file` to create with the demo data")
	fs.StringVar(&o.listen, "listen", "127.0.0.1:8080", "`address` engage serve will listen on, for the WSDL URL printed")
	withEnvNames(fs)
	return fs, o
}

// demo creates a new database holding the demo data: an Enterprise, an Account, users, two
// agent groups with schedule groups, and agents in a few states, and the demo operator, an
// unscoped ADMINISTRATOR with a random password, printed once. The data goes in as the SOAP
// requests of fixtures/demo, sent as that operator to the real endpoint on a loopback port
// of its own.
func demo(ctx context.Context, args []string, stdout, stderr io.Writer) error {
	fs, o := newDemoFlags()
	if err := parseFlags(fs, "Usage: engage demo [flags]", args, stdout, stderr); err != nil {
		return err
	}
	if store.IsPostgres(o.db) {
		return usageError{errors.New("engage demo creates a new SQLite file: give --db a file name")}
	}
	if _, err := os.Stat(o.db); err == nil {
		return fmt.Errorf("%s exists: the demo data goes into a new database", o.db)
	} else if !errors.Is(err, os.ErrNotExist) {
		return err
	}
	db, err := store.Open(o.db)
	if err != nil {
		return err
	}
	defer db.Close()
	password, err := addDemoOperator(ctx, db)
	if err != nil {
		return err
	}
	authenticator, err := auth.New(auth.Options{Store: db})
	if err != nil {
		return err
	}
	log := logrus.New()
	log.SetOutput(io.Discard)
	h, err := service.New(service.Config{Authenticator: authenticator}, provisioning.NewService(db, provisioning.DefaultLimits()), log)
	if err != nil {
		return err
	}
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		return err
	}
	srv := &http.Server{Handler: h}
	go srv.Serve(ln)
	defer srv.Close()
	url := "http://" + ln.Addr().String() + service.EndpointPath
	if err := fixtures.Replay(ctx, http.DefaultClient, url, fixtures.Demo, "demo", fixtures.BasicAuth(demoOperator, password)); err != nil {
		return fmt.Errorf("load demo data: %w", err)
	}
	fmt.Fprintf(stdout, `engage: demo data loaded into %s: Enterprise demo-enterprise, Account demo-account, agent groups sales and support, agents agent01..agent06
engage: demo operator (ADMINISTRATOR, whole system; the password is shown this once):
          name:     %s
          password: %s
engage: once served (engage serve --db %s --listen %s), the WSDL is at http://%s%s?wsdl
`, o.db, demoOperator, password, o.db, o.listen, o.listen, service.EndpointPath)
	return nil
}

// addDemoOperator creates the demo operator with a new random password, and returns it.
func addDemoOperator(ctx context.Context, db *store.DB) (string, error) {
	b := make([]byte, 12)
	_, _ = rand.Read(b)
	password := base64.RawURLEncoding.EncodeToString(b)
	hash, err := auth.HashPassword(password)
	if err != nil {
		return "", err
	}
	_, err = db.AddOperator(ctx, auth.Operator{Name: demoOperator, PasswordHash: hash, Role: provisioning.Administrator, Demo: true})
	return password, err
}
