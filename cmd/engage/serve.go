package main

import (
	"context"
	"crypto/tls"
	"errors"
	"flag"
	"fmt"
	"io"
	stdlog "log"
	"net"
	"os"
	"strings"
	"time"

	"github.com/engage-oss/engage/auth"
	"github.com/engage-oss/engage/provisioning"
	"github.com/engage-oss/engage/service"
	"github.com/engage-oss/engage/store"
	"github.com/prometheus/client_golang/prometheus"
	"github.com/prometheus/client_golang/prometheus/collectors"
	"github.com/sirupsen/logrus"
)

// shutdownTimeout bounds how long requests in flight may take to finish on shutdown.
const shutdownTimeout = 15 * time.Second

// serveOptions are the settings of engage serve.
type serveOptions struct {
	listen   string
	db       string
	logLevel string
	// logFormat is text, json or auto (text on a terminal, JSON otherwise).
	logFormat string
	// secretKeyFile holds the key of the PasswordDigest secrets; empty: no PasswordDigest.
	secretKeyFile string
	// tlsCert and tlsKey are the certificate and key files for HTTPS; both or neither.
	tlsCert, tlsKey string
	// memoryLimit is the --memory-limit as given, memoryLimitBytes as read (0: none).
	memoryLimit      string
	memoryLimitBytes int64
	config           service.Config
	limits           provisioning.Limits
}

// newServeFlags returns the flags of engage serve, bound to a new serveOptions holding the
// defaults. Each flag's usage names its environment variable.
func newServeFlags() (*flag.FlagSet, *serveOptions) {
	o := &serveOptions{limits: provisioning.DefaultLimits()}
	fs := flag.NewFlagSet("engage serve", flag.ContinueOnError)
	fs.StringVar(&o.listen, "listen", "127.0.0.1:8080", "`address` to listen on")
	fs.StringVar(&o.db, "db", "engage.db", "SQLite database `file` or PostgreSQL URL (postgres://user@host/db), created or migrated on start")
	fs.StringVar(&o.config.PublicURL, "public-url", "", "base `URL` clients reach the service at, written in the WSDL (default: from each request)")
	fs.Int64Var(&o.config.MaxRequestBytes, "max-request-bytes", service.DefaultMaxRequestBytes, "largest request body accepted, in `bytes`")
	fs.IntVar(&o.limits.ItemsPerCall, "max-items", o.limits.ItemsPerCall, "most items one call may carry")
	fs.IntVar(&o.limits.AgentsPerAccount, "max-agents", o.limits.AgentsPerAccount, "most active agents per Account")
	fs.IntVar(&o.limits.AgentsStringBytes, "max-agents-string-bytes", o.limits.AgentsStringBytes, "longest agents string of createAgentsUsingString, in `bytes`")
	fs.IntVar(&o.limits.AgentGroupsPerAccount, "max-agent-groups", o.limits.AgentGroupsPerAccount, "most AgentGroups per Account")
	fs.IntVar(&o.limits.ScheduleGroupsPerAgentGroup, "max-schedule-groups", o.limits.ScheduleGroupsPerAgentGroup, "most ScheduleGroups per AgentGroup")
	fs.IntVar(&o.limits.ResultsPerList, "max-results", o.limits.ResultsPerList, "most results of a list call")
	fs.StringVar(&o.logLevel, "log-level", "info", "log `level`: debug, info, warn or error")
	fs.StringVar(&o.logFormat, "log-format", "auto", "log `format`: text, json, or auto (text on a terminal, JSON otherwise)")
	fs.StringVar(&o.secretKeyFile, "secret-key-file", "", "`file` holding the 32-byte key that encrypts the PasswordDigest secrets (without it PasswordDigest is refused)")
	fs.StringVar(&o.tlsCert, "tls-cert", "", "PEM certificate `file` (chain included): serve HTTPS; needs --tls-key")
	fs.StringVar(&o.tlsKey, "tls-key", "", "PEM private key `file` of --tls-cert")
	fs.StringVar(&o.memoryLimit, "memory-limit", defaultMemoryLimit, "soft memory `limit` of the Go runtime (as GOMEMLIMIT: 16MiB, 1GiB, or off); GOMEMLIMIT, when set, wins")
	withEnvNames(fs)
	return fs, o
}

// withEnvNames adds to each flag's usage the environment variable it also reads.
func withEnvNames(fs *flag.FlagSet) {
	fs.VisitAll(func(f *flag.Flag) {
		f.Usage += " [$" + envName(f.Name) + "]"
	})
}

// envName returns the environment variable of a flag: ENGAGE_ and the flag's name in upper
// snake case.
func envName(flagName string) string {
	return "ENGAGE_" + strings.ToUpper(strings.ReplaceAll(flagName, "-", "_"))
}

// parseServe reads the settings of engage serve from the environment, then from args, and
// checks them. Help goes to stdout, flag errors to stderr.
func parseServe(args []string, stdout, stderr io.Writer) (*serveOptions, error) {
	fs, o := newServeFlags()
	if err := parseFlags(fs, "Usage: engage serve [flags]", args, stdout, stderr); err != nil {
		return nil, err
	}
	return o, o.check()
}

// parseFlags sets a command's flags from their environment variables, then from args. Help
// (usage, then the flags) goes to stdout and is flag.ErrHelp; flag errors go to stderr.
func parseFlags(fs *flag.FlagSet, usage string, args []string, stdout, stderr io.Writer) error {
	fs.SetOutput(stderr)
	var envErr error
	fs.VisitAll(func(f *flag.Flag) {
		if v, ok := os.LookupEnv(envName(f.Name)); ok && envErr == nil {
			if err := f.Value.Set(v); err != nil {
				envErr = fmt.Errorf("%s=%q: %w", envName(f.Name), v, err)
			}
		}
	})
	if envErr != nil {
		return envErr
	}
	if wantsHelp(args) {
		fs.SetOutput(stdout)
		fmt.Fprintln(stdout, usage)
		fs.PrintDefaults()
		return flag.ErrHelp
	}
	if err := fs.Parse(args); err != nil {
		return err
	}
	if fs.NArg() > 0 {
		return fmt.Errorf("%s takes no arguments, got %q", fs.Name(), fs.Args())
	}
	return nil
}

// wantsHelp reports whether args ask for help.
func wantsHelp(args []string) bool {
	for _, a := range args {
		switch a {
		case "-h", "-help", "--help":
			return true
		case "--":
			return false
		}
	}
	return false
}

// check refuses settings the service cannot run with.
func (o *serveOptions) check() error {
	if _, err := logrus.ParseLevel(o.logLevel); err != nil {
		return fmt.Errorf("--log-level: %w", err)
	}
	if err := checkLogFormat(o.logFormat); err != nil {
		return err
	}
	if o.config.MaxRequestBytes <= 0 {
		return errors.New("--max-request-bytes must be positive")
	}
	for name, v := range map[string]int{
		"--max-items": o.limits.ItemsPerCall, "--max-agents": o.limits.AgentsPerAccount,
		"--max-agents-string-bytes": o.limits.AgentsStringBytes, "--max-agent-groups": o.limits.AgentGroupsPerAccount,
		"--max-schedule-groups": o.limits.ScheduleGroupsPerAgentGroup, "--max-results": o.limits.ResultsPerList,
	} {
		if v <= 0 {
			return fmt.Errorf("%s must be positive", name)
		}
	}
	if o.config.PublicURL != "" && !strings.HasPrefix(o.config.PublicURL, "http://") && !strings.HasPrefix(o.config.PublicURL, "https://") {
		return fmt.Errorf("--public-url %q must start with http:// or https://", o.config.PublicURL)
	}
	if (o.tlsCert == "") != (o.tlsKey == "") {
		return errors.New("--tls-cert and --tls-key go together")
	}
	var err error
	o.memoryLimitBytes, err = parseMemoryLimit(o.memoryLimit)
	return err
}

// checkOperators refuses a non-loopback address while the database has no operator but
// demo ones, whose password engage demo printed: the service would be open to the network
// with a password that is on someone's screen. It warns when there is no operator at all.
func (o *serveOptions) checkOperators(ctx context.Context, db *store.DB, log *logrus.Logger) error {
	onlyDemo, err := db.HasOnlyDemoOperators(ctx)
	if err != nil {
		return err
	}
	if onlyDemo && !isLoopback(o.listen) {
		return fmt.Errorf("refusing to listen on %q: %s has no operator but demo ones, so the service must "+
			"only be reachable from this machine; create an operator first (engage operator add --name NAME "+
			"--role ADMINISTRATOR --password-stdin --db %s) or listen on a loopback address (127.0.0.1:8080, "+
			"[::1]:8080, localhost:8080)", o.listen, store.Redacted(o.db), store.Redacted(o.db))
	}
	if ops, err := db.ListOperators(ctx); err == nil && len(ops) == 0 {
		log.Warn("the database has no operator: every call will be refused until one is added with engage operator add")
	}
	return nil
}

// isLoopback reports whether addr (host:port) listens on a loopback address only. An empty
// host listens on every interface.
func isLoopback(addr string) bool {
	host, _, err := net.SplitHostPort(addr)
	if err != nil {
		return false
	}
	if strings.EqualFold(host, "localhost") {
		return true
	}
	ip := net.ParseIP(host)
	return ip != nil && ip.IsLoopback()
}

// serve runs the service until ctx is cancelled, then shuts it down gracefully.
func serve(ctx context.Context, o *serveOptions, stdout, stderr io.Writer) (err error) {
	log := newLogger(stderr, o.logLevel, o.logFormat)
	memoryLimit := applyMemoryLimit(o.memoryLimitBytes)

	db, err := store.Open(o.db)
	if err != nil {
		return fmt.Errorf("open database %s: %w", store.Redacted(o.db), err)
	}
	defer func() {
		if cerr := db.Close(); cerr != nil && err == nil {
			err = fmt.Errorf("close database: %w", cerr)
		}
	}()

	if err := o.checkOperators(ctx, db, log); err != nil {
		return err
	}
	// The nonces are kept in the database: every process serving it refuses a replay, and a
	// restart forgets none.
	authOpts := auth.Options{Store: db, Nonces: db.Nonces(nil)}
	if o.secretKeyFile != "" {
		if authOpts.SecretKey, err = auth.LoadKey(o.secretKeyFile); err != nil {
			return err
		}
	}
	authenticator, err := auth.New(authOpts)
	if err != nil {
		return err
	}
	cfg := o.config
	cfg.Authenticator = authenticator
	cfg.Ready = db.Ping
	cfg.Registry = prometheus.NewRegistry()
	cfg.Registry.MustRegister(collectors.NewGoCollector(), collectors.NewProcessCollector(collectors.ProcessCollectorOpts{}))
	storeMetrics, err := store.NewMetrics(cfg.Registry, db)
	if err != nil {
		return err
	}
	h, err := service.New(cfg, provisioning.NewService(storeMetrics.Instrument(db), o.limits), log)
	if err != nil {
		return err
	}
	srv := service.NewServer(o.listen, h, service.DefaultTimeouts())
	scheme := "http"
	if o.tlsCert != "" {
		cert, err := tls.LoadX509KeyPair(o.tlsCert, o.tlsKey)
		if err != nil {
			return fmt.Errorf("--tls-cert, --tls-key: %w", err)
		}
		srv.TLSConfig = &tls.Config{Certificates: []tls.Certificate{cert}, MinVersion: tls.VersionTLS12}
		scheme = "https"
	} else if !isLoopback(o.listen) {
		log.Warn("serving plain HTTP on a non-loopback address: passwords cross the network in clear; " +
			"give --tls-cert and --tls-key, or put a TLS proxy in front")
	}
	errorLog := log.WriterLevel(logrus.WarnLevel)
	defer errorLog.Close()
	srv.ErrorLog = stdlog.New(errorLog, "", 0)

	ln, err := net.Listen("tcp", o.listen)
	if err != nil {
		return err
	}
	endpoint := o.config.PublicEndpoint()
	if endpoint == "" {
		endpoint = scheme + "://" + ln.Addr().String() + service.EndpointPath
	}
	wsdlURL := endpoint + "?wsdl"
	log.WithFields(logrus.Fields{"listen": ln.Addr().String(), "db": store.Redacted(o.db), "wsdl": wsdlURL,
		"memory_limit": memoryLimit}).Info("serving")
	fmt.Fprintln(stdout, "engage: serving on", ln.Addr(), "- WSDL at", wsdlURL)

	served := make(chan error, 1)
	go func() {
		if srv.TLSConfig != nil {
			served <- srv.ServeTLS(ln, "", "")
			return
		}
		served <- srv.Serve(ln)
	}()
	select {
	case err := <-served:
		return err
	case <-ctx.Done():
	}
	log.Info("shutting down")
	shutdownCtx, cancel := context.WithTimeout(context.Background(), shutdownTimeout)
	defer cancel()
	if err := srv.Shutdown(shutdownCtx); err != nil {
		return fmt.Errorf("shutdown: %w", err)
	}
	return nil
}
