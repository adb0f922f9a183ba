package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"os"
	"strings"
	"text/tabwriter"

	"github.com/engage-oss/engage/auth"
	"github.com/engage-oss/engage/provisioning"
	"github.com/engage-oss/engage/store"
)

// operatorCommands are the subcommands of engage operator, in the order help lists them.
var operatorCommands = []string{"add", "list", "remove", "passwd"}

// operatorOptions are the settings of the engage operator commands.
type operatorOptions struct {
	db, name, role, scope, secretKeyFile string
	digest, passwordStdin                bool
}

// newOperatorFlags returns the flags of engage operator sub, bound to a new operatorOptions.
func newOperatorFlags(sub string) (*flag.FlagSet, *operatorOptions) {
	o := &operatorOptions{}
	fs := flag.NewFlagSet("engage operator "+sub, flag.ContinueOnError)
	fs.StringVar(&o.db, "db", "engage.db", "SQLite database `file` or PostgreSQL URL (postgres://user@host/db)")
	if sub != "list" {
		fs.StringVar(&o.name, "name", "", "the operator's `name` (1 to 64 of A-Z a-z 0-9 . _ - @ +)")
	}
	if sub == "add" {
		fs.StringVar(&o.role, "role", "", "`role`: READ_ONLY, PROVISIONING or ADMINISTRATOR")
		fs.StringVar(&o.scope, "scope", "", "limit the operator to an Enterprise or an Account, by `externalId` (ENTERPRISE/ACCOUNT when ambiguous)")
		fs.BoolVar(&o.digest, "digest", false, "also allow PasswordDigest: keeps the password encrypted under --secret-key-file")
	}
	if sub == "add" || sub == "passwd" {
		fs.BoolVar(&o.passwordStdin, "password-stdin", false, "read the password from standard input (required: never from a flag)")
		fs.StringVar(&o.secretKeyFile, "secret-key-file", "", "`file` holding the key that encrypts PasswordDigest secrets (the server's)")
	}
	withEnvNames(fs)
	return fs, o
}

// operator runs engage operator: add, list, remove or passwd.
func operator(ctx context.Context, args []string, stdin io.Reader, stdout, stderr io.Writer) error {
	sub, o, err := parseVerb("operator", operatorCommands, operatorUsage, newOperatorFlags, args, stdout, stderr)
	if err != nil {
		return err
	}
	if err := o.check(sub); err != nil {
		return usageError{err}
	}
	if sub != "add" && !store.IsPostgres(o.db) {
		// Only add may create the database: the others would find nothing in a new one.
		if _, err := os.Stat(o.db); err != nil {
			return fmt.Errorf("database %s: %w", o.db, err)
		}
	}
	db, err := store.Open(o.db)
	if err != nil {
		return err
	}
	defer db.Close()
	switch sub {
	case "add":
		return o.add(ctx, db, stdin, stdout)
	case "list":
		return listOperators(ctx, db, stdout)
	case "remove":
		if err := db.RemoveOperator(ctx, o.name); err != nil {
			return unknownOperator(err, o.name)
		}
		fmt.Fprintf(stdout, "engage: operator %s removed\n", o.name)
		return nil
	default:
		return o.passwd(ctx, db, stdin, stdout)
	}
}

// check refuses settings an operator command cannot run with.
func (o *operatorOptions) check(sub string) error {
	if sub != "list" && !validOperatorName(o.name) {
		return fmt.Errorf("--name %q: want 1 to 64 of A-Z a-z 0-9 . _ - @ +", o.name)
	}
	if sub == "add" {
		o.role = strings.ToUpper(o.role)
		switch provisioning.Role(o.role) {
		case provisioning.ReadOnly, provisioning.Provisioning, provisioning.Administrator:
		default:
			return fmt.Errorf("--role %q: want READ_ONLY, PROVISIONING or ADMINISTRATOR", o.role)
		}
		if o.digest && o.secretKeyFile == "" {
			return errors.New("--digest needs --secret-key-file, the key engage serve is given")
		}
	}
	if (sub == "add" || sub == "passwd") && !o.passwordStdin {
		return errors.New("the password is read from standard input: pass --password-stdin")
	}
	return nil
}

// validOperatorName reports whether name is a possible operator name. A colon is refused, as
// HTTP Basic could not carry it.
func validOperatorName(name string) bool {
	if name == "" || len(name) > 64 {
		return false
	}
	for _, c := range []byte(name) {
		switch {
		case 'a' <= c && c <= 'z', 'A' <= c && c <= 'Z', '0' <= c && c <= '9':
		case c == '.', c == '_', c == '-', c == '@', c == '+':
		default:
			return false
		}
	}
	return true
}

// The bounds on a password read from standard input.
const (
	minPassword = 8
	maxPassword = 1024
)

// readPassword reads the password: all of standard input, one line, its final newline
// (and carriage return) dropped.
func readPassword(stdin io.Reader) (string, error) {
	b, err := io.ReadAll(io.LimitReader(stdin, maxPassword+3))
	if err != nil {
		return "", fmt.Errorf("read the password from standard input: %w", err)
	}
	p := strings.TrimSuffix(strings.TrimSuffix(string(b), "\n"), "\r")
	switch {
	case strings.ContainsAny(p, "\r\n"):
		return "", errors.New("the password on standard input must be one line")
	case len(p) < minPassword:
		return "", fmt.Errorf("the password on standard input must have at least %d characters", minPassword)
	case len(p) > maxPassword:
		return "", fmt.Errorf("the password on standard input must have at most %d bytes", maxPassword)
	}
	return p, nil
}

// add creates the operator.
func (o *operatorOptions) add(ctx context.Context, db *store.DB, stdin io.Reader, stdout io.Writer) error {
	op := auth.Operator{Name: o.name, Role: provisioning.Role(o.role)}
	if o.scope != "" {
		id, err := resolveScope(ctx, db, o.scope)
		if err != nil {
			return err
		}
		op.ScopeOrgID = id
	}
	password, err := readPassword(stdin)
	if err != nil {
		return err
	}
	if err := o.setPassword(&op, password); err != nil {
		return err
	}
	added, err := db.AddOperator(ctx, op)
	if errors.Is(err, provisioning.ErrExists) {
		return fmt.Errorf("operator %s exists (engage operator passwd changes its password)", o.name)
	}
	if err != nil {
		return err
	}
	fmt.Fprintf(stdout, "engage: operator %s added: %s, %s%s\n", added.Name, added.Role, scopeText(added.Scope),
		map[bool]string{true: ", PasswordDigest allowed", false: ""}[o.digest])
	return nil
}

// setPassword sets op's hash of password and, when it is allowed PasswordDigest, its
// secret sealed under the key of --secret-key-file.
func (o *operatorOptions) setPassword(op *auth.Operator, password string) error {
	hash, err := auth.HashPassword(password)
	if err != nil {
		return err
	}
	op.PasswordHash = hash
	if !o.digest {
		op.DigestSecret = nil
		return nil
	}
	key, err := auth.LoadKey(o.secretKeyFile)
	if err != nil {
		return err
	}
	op.DigestSecret, err = auth.SealSecret(key, op.Name, password)
	return err
}

// passwd changes an operator's password, and its digest secret if it has one.
func (o *operatorOptions) passwd(ctx context.Context, db *store.DB, stdin io.Reader, stdout io.Writer) error {
	op, err := db.Operator(ctx, o.name)
	if err != nil {
		return unknownOperator(err, o.name)
	}
	o.digest = op.DigestSecret != nil
	if o.digest && o.secretKeyFile == "" {
		return usageError{fmt.Errorf("operator %s is allowed PasswordDigest: its new secret needs --secret-key-file", o.name)}
	}
	password, err := readPassword(stdin)
	if err != nil {
		return err
	}
	if err := o.setPassword(&op, password); err != nil {
		return err
	}
	if err := db.SetOperatorPassword(ctx, op.Name, op.PasswordHash, op.DigestSecret); err != nil {
		return unknownOperator(err, o.name)
	}
	fmt.Fprintf(stdout, "engage: password of operator %s changed\n", o.name)
	return nil
}

// listOperators writes the operators as a table: never a hash or a secret.
func listOperators(ctx context.Context, db *store.DB, stdout io.Writer) error {
	ops, err := db.ListOperators(ctx)
	if err != nil {
		return err
	}
	w := tabwriter.NewWriter(stdout, 0, 4, 2, ' ', 0)
	fmt.Fprintln(w, "NAME\tROLE\tSCOPE\tDIGEST\tDEMO")
	yes := map[bool]string{true: "yes", false: "no"}
	for _, op := range ops {
		scope := op.Scope
		if scope == "" {
			scope = "-"
		}
		fmt.Fprintf(w, "%s\t%s\t%s\t%s\t%s\n", op.Name, op.Role, scope, yes[op.DigestSecret != nil], yes[op.Demo])
	}
	return w.Flush()
}

// resolveScope returns the id of the Enterprise or Account scope names: an externalId, or
// ENTERPRISE/ACCOUNT. An unknown or ambiguous one is refused.
func resolveScope(ctx context.Context, db *store.DB, scope string) (int64, error) {
	parent, externalID, nested := strings.Cut(scope, "/")
	if !nested {
		parent, externalID = "", scope
	}
	found, err := db.FindScopeOrgs(ctx, parent, externalID)
	switch {
	case err != nil:
		return 0, err
	case len(found) == 0:
		return 0, fmt.Errorf("--scope %q: no Enterprise or Account has this externalId", scope)
	case len(found) > 1:
		return 0, fmt.Errorf("--scope %q: several organizations have this externalId; name the Account as ENTERPRISE/ACCOUNT", scope)
	}
	return found[0].ID, nil
}

// scopeText describes a scope for a message.
func scopeText(scope string) string {
	if scope == "" {
		return "whole system"
	}
	return "scope " + scope
}

// unknownOperator words auth.ErrUnknownOperator for the command line.
func unknownOperator(err error, name string) error {
	if errors.Is(err, auth.ErrUnknownOperator) {
		return fmt.Errorf("no operator %s", name)
	}
	return err
}

// operatorUsage writes the help of engage operator.
func operatorUsage(w io.Writer) {
	fmt.Fprint(w, `Usage: engage operator <add|list|remove|passwd> [flags]

  add      create an operator; its password is read from standard input
  list     list the operators (never their passwords)
  remove   remove an operator
  passwd   change an operator's password, read from standard input
`)
	operatorFlagsUsage(w)
}

// operatorFlagsUsage writes the flags of each operator command.
func operatorFlagsUsage(w io.Writer) {
	for _, sub := range operatorCommands {
		fmt.Fprintf(w, "\nFlags of operator %s:\n", sub)
		fs, _ := newOperatorFlags(sub)
		fs.SetOutput(w)
		fs.PrintDefaults()
	}
}
