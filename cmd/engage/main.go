// Command engage is the Contact Center provisioning service.
//
//	engage serve [flags]                          run the SOAP service
//	engage demo [flags]                           a new database with the demo data and operator
//	engage operator add|list|remove|passwd [flags] manage the operators who may call it
//	engage backup --db FILE --out FILE            a consistent copy of a database in use
//	engage agents import|export [flags]           agents of an agent group from and to CSV
//
// Every flag can also be given as an environment variable ENGAGE_<FLAG> (for example
// ENGAGE_LISTEN for --listen); a flag on the command line wins. `engage --help` lists them.
package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"os"
	"os/signal"
	"slices"
	"strings"
	"syscall"
)

func main() {
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	err := run(ctx, os.Args[1:], os.Stdin, os.Stdout, os.Stderr)
	stop()
	if err != nil {
		fmt.Fprintln(os.Stderr, "engage:", err)
	}
	os.Exit(exitCode(err))
}

// exitCode returns the exit status of a run that ended with err: 0 for none, 2 for a
// command line it could not run, 1 for any other failure.
func exitCode(err error) int {
	var usage usageError
	switch {
	case err == nil:
		return 0
	case errors.As(err, &usage):
		return 2
	default:
		return 1
	}
}

// usageError is a command line the program cannot run.
type usageError struct {
	err error
}

// Error returns the problem with the command line.
func (e usageError) Error() string { return e.err.Error() }

// Unwrap returns the underlying error.
func (e usageError) Unwrap() error { return e.err }

// run runs the command line args (without the program name) until it is done or ctx is
// cancelled. Passwords are read from stdin; help goes to stdout; the log and flag errors go to
// stderr.
func run(ctx context.Context, args []string, stdin io.Reader, stdout, stderr io.Writer) error {
	if len(args) == 0 {
		usage(stderr)
		return usageError{errors.New("no command given")}
	}
	switch args[0] {
	case "-h", "-help", "--help", "help":
		usage(stdout)
		return nil
	case "serve":
		opts, err := parseServe(args[1:], stdout, stderr)
		if errors.Is(err, flag.ErrHelp) {
			return nil
		}
		if err != nil {
			return usageError{err}
		}
		return serve(ctx, opts, stdout, stderr)
	case "demo":
		err := demo(ctx, args[1:], stdout, stderr)
		if errors.Is(err, flag.ErrHelp) {
			return nil
		}
		return err
	case "operator":
		err := operator(ctx, args[1:], stdin, stdout, stderr)
		if errors.Is(err, flag.ErrHelp) {
			return nil
		}
		return err
	case "backup":
		err := backup(ctx, args[1:], stdout, stderr)
		if errors.Is(err, flag.ErrHelp) {
			return nil
		}
		return err
	case "agents":
		err := agents(ctx, args[1:], stdin, stdout, stderr)
		if errors.Is(err, flag.ErrHelp) {
			return nil
		}
		return err
	}
	usage(stderr)
	return usageError{fmt.Errorf("unknown command %q", args[0])}
}

// usage writes the program's help: its commands and their flags with their environment
// variables.
func usage(w io.Writer) {
	fmt.Fprint(w, `Usage: engage <command> [flags]

Commands:
  serve     run the Contact Center SOAP service
  demo      create a new database holding the demo data and a demo operator (make run uses it)
  operator  add, list, remove an operator or change its password (engage operator --help)
  backup    copy a database consistently while engage serve uses it
  agents    import agents into an agent group from CSV, or export them (engage agents --help)

Every flag can also be set with the environment variable shown after it; a flag on the
command line wins over the variable.

Flags of serve:
`)
	fs, _ := newServeFlags()
	fs.SetOutput(w)
	fs.PrintDefaults()
	fmt.Fprint(w, "\nFlags of demo:\n")
	demoFlags, _ := newDemoFlags()
	demoFlags.SetOutput(w)
	demoFlags.PrintDefaults()
	operatorFlagsUsage(w)
	fmt.Fprint(w, "\nFlags of backup:\n")
	backupFlags, _ := newBackupFlags()
	backupFlags.SetOutput(w)
	backupFlags.PrintDefaults()
	agentsFlagsUsage(w)
}

// parseVerb reads the verb of engage command (one of verbs), then the verb's flags, made by
// newFlags. Help asked instead of a verb prints usage and is flag.ErrHelp; a missing or
// unknown verb and bad flags are usage errors.
func parseVerb[O any](command string, verbs []string, usage func(io.Writer), newFlags func(verb string) (*flag.FlagSet, O),
	args []string, stdout, stderr io.Writer) (string, O, error) {
	var none O
	if len(args) == 0 || !slices.Contains(verbs, args[0]) {
		if len(args) > 0 && wantsHelp(args[:1]) {
			usage(stdout)
			return "", none, flag.ErrHelp
		}
		usage(stderr)
		return "", none, usageError{errors.New("engage " + command + " needs one of: " + strings.Join(verbs, ", "))}
	}
	verb := args[0]
	fs, o := newFlags(verb)
	if err := parseFlags(fs, "Usage: engage "+command+" "+verb+" [flags]", args[1:], stdout, stderr); err != nil {
		if errors.Is(err, flag.ErrHelp) {
			return "", none, err
		}
		return "", none, usageError{err}
	}
	return verb, o, nil
}
