package provisioning

import (
	"context"
	"encoding/csv"
	"errors"
	"io"
	"slices"
	"strings"
)

// AgentFields are the fields of an agent record of the agents string, in order. A first
// record equal to them (or to their first few) is a header.
var AgentFields = []string{"userExternalId", "currentPhoneNumber", "registrationMethod", "loginEnabled", "scheduleGroupExternalId"}

// CreateAgentsUsingString is CreateAgents with the agents given as RFC 4180 CSV, one agent a
// record: userExternalId[,currentPhoneNumber[,registrationMethod[,loginEnabled[,
// scheduleGroupExternalId]]]]. Blank lines and lines starting with # are skipped; a first
// record (after those) equal to the field names is a header. A warning's index is the 0-based
// position of the agent record (the header, comments and blank lines are not counted).
//
// Codes of the call: those of CreateAgents, and ARG_NULL (no agent record) and ARG_TOO_LARGE
// (over the agents string's byte limit or the per-call limit of records). Codes of a record:
// those of a CreateAgents item, and ARG_INVALID_CHAR (a control character in any field, or a
// character not allowed in an externalId), ARG_INVALID_DATA (a malformed record, a bad
// phone number, registration method or loginEnabled) and ARG_TOO_LARGE (an externalId over 64
// characters).
func (s *Service) CreateAgentsUsingString(ctx context.Context, agents string, group *Ref, initial *AgentStateInput) ([]Agent, []Warning, error) {
	c, err := s.authorize(ctx, "createAgentsUsingString")
	if err != nil {
		return nil, nil, err
	}
	if len(agents) > s.limits.AgentsStringBytes {
		return nil, nil, Errorf(ArgTooLarge, "agents")
	}
	items, err := parseAgentsString(agents, s.limits.ItemsPerCall)
	if err != nil {
		return nil, nil, err
	}
	if len(items) == 0 {
		return nil, nil, Errorf(ArgNull, "agents")
	}
	return s.createAgents(c, items, group, initial)
}

// parseAgentsString reads the agent records of an agents string: one item per record, a
// malformed record being an item that fails with its error. More than maxRecords records is
// ARG_TOO_LARGE.
func parseAgentsString(agents string, maxRecords int) ([]newAgent, error) {
	r := csv.NewReader(strings.NewReader(agents))
	r.Comment = '#'
	r.FieldsPerRecord = -1
	var items []newAgent
	// header is true until the first record that is not blank: only it may be the header.
	header := true
	for {
		record, err := r.Read()
		if err == io.EOF {
			return items, nil
		}
		var item newAgent
		var parseErr *csv.ParseError
		switch {
		case errors.As(err, &parseErr):
			// encoding/csv goes on with the next line after a ParseError, so a malformed
			// record fails alone.
			item.err = Errorf(ArgInvalidData, "agents")
		case err != nil:
			return nil, err
		case blank(record):
			continue
		case header && isHeader(record):
			header = false
			continue
		default:
			item = agentRecord(record)
		}
		header = false
		if items = append(items, item); len(items) > maxRecords {
			return nil, Errorf(ArgTooLarge, "agents")
		}
	}
}

// isHeader reports whether a record is the field names (or their first few); surrounding
// spaces of a field are not part of it.
func isHeader(record []string) bool {
	if len(record) > len(AgentFields) {
		return false
	}
	for i, v := range record {
		if strings.Trim(v, " ") != AgentFields[i] {
			return false
		}
	}
	return true
}

// blank reports whether a record is a line of spaces.
func blank(record []string) bool {
	return len(record) == 1 && strings.Trim(record[0], " ") == ""
}

// agentRecord reads one agent record; surrounding spaces of a field are not part of it.
func agentRecord(record []string) newAgent {
	if len(record) > len(AgentFields) {
		return newAgent{err: Errorf(ArgInvalidData, "agents")}
	}
	var f [5]string
	for i, v := range record {
		f[i] = strings.Trim(v, " ")
		if hasControl(f[i]) {
			return newAgent{err: Errorf(ArgInvalidChar, AgentFields[i])}
		}
	}
	userID, phone, method, login, schedule := f[0], f[1], f[2], f[3], f[4]
	switch {
	case userID == "":
		return newAgent{err: Errorf(ArgInvalidData, AgentFields[0])}
	case checkExternalID(userID, AgentFields[0]) != nil:
		return newAgent{err: checkExternalID(userID, AgentFields[0])}
	case schedule != "" && checkExternalID(schedule, AgentFields[4]) != nil:
		return newAgent{err: checkExternalID(schedule, AgentFields[4])}
	case phone != "" && !validPhoneNumber(phone):
		return newAgent{err: Errorf(ArgInvalidData, AgentFields[1])}
	case method != "" && !slices.Contains(registrationMethods, method):
		return newAgent{err: Errorf(ArgInvalidData, AgentFields[2])}
	}
	if login != "" {
		if _, ok := parseBool(login); !ok {
			return newAgent{err: Errorf(ArgInvalidData, AgentFields[3])}
		}
	}
	return newAgent{
		user:  &Ref{ExternalID: userID},
		phone: phone, registrationMethod: method, loginEnabled: login, scheduleGroup: schedule,
	}
}

// hasControl reports whether s holds a control character.
func hasControl(s string) bool {
	for _, r := range s {
		if r < 0x20 || r == 0x7f || (r >= 0x80 && r < 0xa0) {
			return true
		}
	}
	return false
}
