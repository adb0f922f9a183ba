package main

import (
	"context"
	"encoding/csv"
	"errors"
	"fmt"
	"io"
	"os"
	"strconv"
	"strings"

	"github.com/schollz/progressbar/v3"
	"golang.org/x/term"

	"github.com/engage-oss/engage/generated"
	"github.com/engage-oss/engage/provisioning"
)

// maxChunkBytes is the most bytes of agent records one call carries, under the service's
// default agents-string limit (--max-agents-string-bytes, 100,000) with room for the header.
const maxChunkBytes = 99000

// agentRecord is one agent record of an import file.
type agentRecord struct {
	// line is the record's first line in the file, from 1.
	line int
	// text is the record as sent: one RFC 4180 line.
	text string
	// user is the record's userExternalId.
	user string
	// err is why the record could not be read; it is not sent.
	err error
}

// readAgentRecords reads the agent records of an agents-string file as the service does:
// comments, blank lines and a first header record are left out; a malformed record is kept
// with its error.
func readAgentRecords(r io.Reader) ([]agentRecord, error) {
	cr := csv.NewReader(r)
	cr.Comment = '#'
	cr.FieldsPerRecord = -1
	var records []agentRecord
	header := true
	for {
		fields, err := cr.Read()
		if err == io.EOF {
			return records, nil
		}
		var parseErr *csv.ParseError
		switch {
		case errors.As(err, &parseErr):
			records = append(records, agentRecord{line: parseErr.StartLine, err: parseErr.Err})
			header = false
			continue
		case err != nil:
			return nil, err
		case len(fields) == 1 && strings.Trim(fields[0], " ") == "":
			continue
		case header && isHeaderRecord(fields):
			header = false
			continue
		}
		header = false
		line, _ := cr.FieldPos(0)
		records = append(records, agentRecord{line: line, text: agentRecordLine(fields), user: strings.Trim(fields[0], " ")})
	}
}

// isHeaderRecord reports whether a record is the field names (or their first few).
func isHeaderRecord(fields []string) bool {
	if len(fields) > len(provisioning.AgentFields) {
		return false
	}
	for i, f := range fields {
		if strings.Trim(f, " ") != provisioning.AgentFields[i] {
			return false
		}
	}
	return true
}

// chunks splits the records that can be sent into chunks of at most size records and
// maxChunkBytes bytes.
func chunks(records []agentRecord, size int) [][]agentRecord {
	var out [][]agentRecord
	var cur []agentRecord
	bytes := 0
	for _, r := range records {
		if r.err != nil {
			continue
		}
		if len(cur) == size || (len(cur) > 0 && bytes+len(r.text) > maxChunkBytes) {
			out = append(out, cur)
			cur, bytes = nil, 0
		}
		cur = append(cur, r)
		bytes += len(r.text)
	}
	if len(cur) > 0 {
		out = append(out, cur)
	}
	return out
}

// importTally counts the outcomes of an import.
type importTally struct {
	created, present, failed int
}

// importAgents runs engage agents import. Every chunk starts with the header, so that the
// service counts a warning's index from the chunk's first record; an agent that exists
// already (OBJECT_EXISTS on its user) counts as done, so that a second run resumes.
func (o *agentsOptions) importAgents(ctx context.Context, cc generated.ContactCenterPortType, stdout, stderr io.Writer) (err error) {
	in, err := os.Open(o.file)
	if err != nil {
		return err
	}
	records, err := readAgentRecords(in)
	in.Close()
	if err != nil {
		return fmt.Errorf("%s: %w", o.file, err)
	}
	var report *warningReport
	if o.report == "" {
		report = newReport(stderr)
	} else {
		f, err := os.Create(o.report)
		if err != nil {
			return err
		}
		defer func() {
			if cerr := report.close(f); err == nil {
				err = cerr
			}
		}()
		report = newReport(f)
	}
	var tally importTally
	for _, r := range records {
		if r.err != nil {
			tally.failed++
			report.add(r.line, string(provisioning.ArgInvalidData), "malformed CSV record: "+r.err.Error(), "failed")
		}
	}
	parts := chunks(records, o.chunk)
	sendable := 0
	for _, part := range parts {
		sendable += len(part)
	}
	progress := newProgress(stderr, sendable)
	header := strings.Join(provisioning.AgentFields, ",") + "\n"
	group := o.agentGroup()
	sent := 0
	for i, part := range parts {
		var b strings.Builder
		b.WriteString(header)
		for _, r := range part {
			b.WriteString(r.text)
		}
		res, err := cc.CreateAgentsUsingStringContext(ctx, &generated.CreateAgentsUsingString{Agents: b.String(), AgentGroup: group})
		if err != nil {
			progress.abort()
			return fmt.Errorf("chunk %d of %d (lines %d to %d), the import stops: %w; %d records were sent before it",
				i+1, len(parts), part[0].line, part[len(part)-1].line, callError("createAgentsUsingString", o, err), sent)
		}
		tally.created += len(res.Result)
		for _, w := range res.Warning {
			tally.count(report, part, w)
		}
		sent += len(part)
		progress.done(i+1, len(parts), sent, part, tally)
	}
	progress.finish()
	fmt.Fprintf(stdout, "engage: %s: %d agent records: %d created, %d already present, %d failed\n",
		o.file, len(records), tally.created, tally.present, tally.failed)
	if report.err != nil {
		return fmt.Errorf("report: %w", report.err)
	}
	if tally.failed > 0 {
		where := "above"
		if o.report != "" {
			where = o.report
		}
		return fmt.Errorf("%d of %d agent records failed (see %s)", tally.failed, len(records), where)
	}
	return nil
}

// count reports a warning of a chunk's call, at the file line of the record it is about.
// OBJECT_EXISTS about the record's own user is an agent already there; any other warning
// (OBJECT_EXISTS on a phone number another agent holds among them) is a failed record.
func (t *importTally) count(report *warningReport, part []agentRecord, w *generated.Warning) {
	line, user := 0, ""
	if idx := int(w.Index); idx >= 0 && idx < len(part) {
		line, user = part[idx].line, part[idx].user
	}
	code := ""
	if w.Code != nil {
		code = string(*w.Code)
	}
	if code == string(provisioning.ObjectExists) && w.Argument == user {
		t.present++
		report.add(line, code, w.Message, "already present")
		return
	}
	t.failed++
	report.add(line, code, w.Message, "failed")
}

// warningReport writes warnings as CSV: line,code,message,outcome.
type warningReport struct {
	w   *csv.Writer
	err error
}

// newReport returns a report writing to w, its header written.
func newReport(w io.Writer) *warningReport {
	r := &warningReport{w: csv.NewWriter(w)}
	r.write([]string{"line", "code", "message", "outcome"})
	return r
}

// add writes one warning.
func (r *warningReport) add(line int, code, message, outcome string) {
	r.write([]string{strconv.Itoa(line), code, message, outcome})
}

// write writes a row and flushes it, so that a stopped import leaves what it found.
func (r *warningReport) write(row []string) {
	if r.err != nil {
		return
	}
	r.w.Write(row)
	r.w.Flush()
	r.err = r.w.Error()
}

// close closes the report's file.
func (r *warningReport) close(f *os.File) error {
	if err := f.Close(); err != nil {
		return err
	}
	return r.err
}

// progress shows an import's progress: a bar on a terminal, a line per chunk otherwise.
type progress struct {
	w   io.Writer
	bar *progressbar.ProgressBar
}

// newProgress returns the progress display of an import of total records on w.
func newProgress(w io.Writer, total int) *progress {
	p := &progress{w: w}
	if f, ok := w.(*os.File); ok && term.IsTerminal(int(f.Fd())) {
		p.bar = progressbar.NewOptions(total, progressbar.OptionSetWriter(w), progressbar.OptionSetDescription("importing agents"),
			progressbar.OptionShowCount(), progressbar.OptionSetPredictTime(true), progressbar.OptionClearOnFinish())
	}
	return p
}

// done shows that chunk n of total was sent; sent is the records sent so far.
func (p *progress) done(n, total, sent int, part []agentRecord, t importTally) {
	if p.bar != nil {
		_ = p.bar.Set(sent)
		return
	}
	fmt.Fprintf(p.w, "engage: chunk %d/%d sent (lines %d to %d): %d created, %d already present, %d failed so far\n",
		n, total, part[0].line, part[len(part)-1].line, t.created, t.present, t.failed)
}

// finish ends the display.
func (p *progress) finish() {
	if p.bar != nil {
		_ = p.bar.Finish()
	}
}

// abort ends the display of an import that stops.
func (p *progress) abort() {
	if p.bar != nil {
		_ = p.bar.Exit()
		fmt.Fprintln(p.w)
	}
}
