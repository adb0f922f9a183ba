package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"net/http"
	"os"
	"strconv"
	"strings"

	"github.com/hooklift/gowsdl/soap"

	"github.com/engage-oss/engage/generated"
	"github.com/engage-oss/engage/internal/goclient"
	"github.com/engage-oss/engage/provisioning"
)

// agentsCommands are the subcommands of engage agents, in the order help lists them.
var agentsCommands = []string{"import", "export"}

// maxChunk is the most agent records one createAgentsUsingString call carries: the
// contract's default per-call limit.
const maxChunk = 1000

// agentsOptions are the settings of engage agents import and export.
type agentsOptions struct {
	url, user, group, parent string
	passwordStdin            bool
	// password is read from ENGAGE_PASSWORD or standard input, never from a flag.
	password string
	// file, report and chunk are import's; out is export's.
	file, report, out string
	chunk             int
}

// newAgentsFlags returns the flags of engage agents sub, bound to a new agentsOptions.
func newAgentsFlags(sub string) (*flag.FlagSet, *agentsOptions) {
	o := &agentsOptions{}
	fs := flag.NewFlagSet("engage agents "+sub, flag.ContinueOnError)
	fs.StringVar(&o.url, "url", "", "`URL` of the service's SOAP endpoint (required)")
	fs.StringVar(&o.user, "user", "", "operator `name` to call the service as (required)")
	fs.BoolVar(&o.passwordStdin, "password-stdin", false, "read the operator's password from standard input (otherwise from $ENGAGE_PASSWORD)")
	fs.StringVar(&o.group, "agent-group", "", "the agent group, by `externalId` (required)")
	fs.StringVar(&o.parent, "parent", "", "the agent group's Account, by `externalId`, when the group's externalId is ambiguous")
	if sub == "import" {
		fs.StringVar(&o.file, "file", "", "CSV `file` of agents in the agents-string grammar (required)")
		fs.StringVar(&o.report, "report", "", "CSV `file` to write every warning to (line,code,message,outcome); without it failures go to stderr")
		fs.IntVar(&o.chunk, "chunk", maxChunk, "most agent records per createAgentsUsingString call (1 to 1000)")
	}
	if sub == "export" {
		fs.StringVar(&o.out, "out", "", "CSV `file` to write the agents to (default standard output)")
	}
	withEnvNames(fs)
	return fs, o
}

// agents runs engage agents: import or export.
func agents(ctx context.Context, args []string, stdin io.Reader, stdout, stderr io.Writer) error {
	sub, o, err := parseVerb("agents", agentsCommands, agentsUsage, newAgentsFlags, args, stdout, stderr)
	if err != nil {
		return err
	}
	if err := o.check(sub, stdin); err != nil {
		return usageError{err}
	}
	cc := generated.NewContactCenterPortType(soap.NewClient(o.url, soap.WithBasicAuth(o.user, o.password)))
	if sub == "import" {
		return o.importAgents(ctx, cc, stdout, stderr)
	}
	return o.exportAgents(ctx, cc, stdout)
}

// check refuses settings an agents command cannot run with, and reads the password.
func (o *agentsOptions) check(sub string, stdin io.Reader) error {
	switch {
	case o.url == "":
		return fmt.Errorf("no service URL: pass --url or set %s", envName("url"))
	case !strings.HasPrefix(o.url, "http://") && !strings.HasPrefix(o.url, "https://"):
		return fmt.Errorf("--url %q must start with http:// or https://", o.url)
	case o.user == "":
		return fmt.Errorf("no operator name: pass --user or set %s", envName("user"))
	case o.group == "":
		return errors.New("--agent-group is required")
	case sub == "import" && o.file == "":
		return errors.New("--file is required")
	case sub == "import" && (o.chunk < 1 || o.chunk > maxChunk):
		return fmt.Errorf("--chunk %d: want 1 to %d", o.chunk, maxChunk)
	}
	if o.passwordStdin {
		p, err := readPassword(stdin)
		if err != nil {
			return err
		}
		o.password = p
		return nil
	}
	o.password = os.Getenv(envName("password"))
	if o.password == "" {
		return fmt.Errorf("no password: set %s or pass --password-stdin (never a flag)", envName("password"))
	}
	return nil
}

// agentGroup returns the reference to the agent group the options name.
func (o *agentsOptions) agentGroup() *generated.AgentGroup {
	g := &generated.AgentGroup{ExternalId: o.group}
	if o.parent != "" {
		g.Parent = &generated.Org{ExternalId: o.parent}
	}
	return g
}

// exportAgents runs engage agents export: the agent group's agents, from
// listAgentStatesUsingEntity, as agent records with a header, which import reads back.
func (o *agentsOptions) exportAgents(ctx context.Context, cc generated.ContactCenterPortType, stdout io.Writer) (err error) {
	entity := &generated.BaseEntity{ExternalId: o.group, Type_: ptrTo(generated.EntityTypeAGENT_GROUP)}
	if o.parent != "" {
		entity.Parent = &generated.BaseEntity{ExternalId: o.parent, Type_: ptrTo(generated.EntityTypeACCOUNT)}
	}
	res, err := cc.ListAgentStatesUsingEntityContext(ctx, &generated.ListAgentStatesUsingEntity{BaseEntity: entity})
	if err != nil {
		return callError("listAgentStatesUsingEntity", o, err)
	}
	w := stdout
	if o.out != "" {
		f, err := os.Create(o.out)
		if err != nil {
			return err
		}
		defer func() {
			if cerr := f.Close(); err == nil {
				err = cerr
			}
		}()
		w = f
	}
	var b strings.Builder
	b.WriteString(strings.Join(provisioning.AgentFields, ",") + "\n")
	for _, a := range res.Result {
		b.WriteString(agentRecordLine(exportRecord(a)))
	}
	if _, err := io.WriteString(w, b.String()); err != nil {
		return err
	}
	if o.out != "" {
		fmt.Fprintf(stdout, "engage: %d agents of agent group %s written to %s\n", len(res.Result), o.group, o.out)
	}
	return nil
}

// exportRecord returns the agent record of an agent's state: the fields of
// provisioning.AgentFields.
func exportRecord(a *generated.AgentState) []string {
	var user, method, schedule string
	login := false
	if a.Agent != nil {
		user, login = a.Agent.ExternalId, a.Agent.LoginEnabled
		for _, attr := range a.Agent.Attribute {
			if attr != nil && attr.Name == provisioning.RegistrationMethod {
				method = attr.Value
			}
		}
	}
	if a.CurrentScheduleGroup != nil {
		schedule = a.CurrentScheduleGroup.ExternalId
	}
	return []string{user, a.CurrentPhoneNumber, method, strconv.FormatBool(login), schedule}
}

// agentRecordLine returns a record as one RFC 4180 line. A field is quoted when it holds a
// comma, quote, line break or #, or starts or ends with a space, so that the service reads
// it back as it is and never as a comment.
func agentRecordLine(fields []string) string {
	var b strings.Builder
	for i, f := range fields {
		if i > 0 {
			b.WriteByte(',')
		}
		if strings.ContainsAny(f, ",\"\r\n#") || strings.TrimSpace(f) != f {
			b.WriteString(`"` + strings.ReplaceAll(f, `"`, `""`) + `"`)
		} else {
			b.WriteString(f)
		}
	}
	b.WriteByte('\n')
	return b.String()
}

// callError explains an error of a call to the service: its fault, refused credentials, or
// a service that could not be reached.
func callError(operation string, o *agentsOptions, err error) error {
	if fault, ok := goclient.EngageFault(err); ok {
		code := ""
		if fault.Code != nil {
			code = string(*fault.Code)
		}
		if code == string(provisioning.AuthenticationFailed) {
			return fmt.Errorf("%s: the service at %s refused the credentials of operator %s", operation, o.url, o.user)
		}
		return fmt.Errorf("%s refused (agent group %s): %s %s", operation, o.group, code, fault.Message)
	}
	var httpErr *soap.HTTPError
	if errors.As(err, &httpErr) && httpErr.StatusCode == http.StatusUnauthorized {
		return fmt.Errorf("%s: the service at %s refused the credentials of operator %s", operation, o.url, o.user)
	}
	return fmt.Errorf("%s at %s: %w", operation, o.url, err)
}

// ptrTo returns a pointer to v, for the generated types' optional enumerations.
func ptrTo[T any](v T) *T { return &v }

// agentsUsage writes the help of engage agents.
func agentsUsage(w io.Writer) {
	fmt.Fprint(w, `Usage: engage agents <import|export> [flags]

  import   create the agents of a CSV file in an agent group, in chunks; safe to run again
  export   write an agent group's agents as CSV that import reads back

The password is read from $ENGAGE_PASSWORD, or from standard input with --password-stdin.
`)
	agentsFlagsUsage(w)
}

// agentsFlagsUsage writes the flags of each agents command.
func agentsFlagsUsage(w io.Writer) {
	for _, sub := range agentsCommands {
		fmt.Fprintf(w, "\nFlags of agents %s:\n", sub)
		fs, _ := newAgentsFlags(sub)
		fs.SetOutput(w)
		fs.PrintDefaults()
	}
}
