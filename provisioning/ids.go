package provisioning

import (
	"strconv"
	"strings"
)

// Kind is the kind of entity an internalId names. The kind is part of the id, so that a
// reference to the wrong kind of entity is told apart from one to nothing at all.
type Kind string

// The kinds of entity.
const (
	KindOrg           Kind = "org"
	KindUser          Kind = "usr"
	KindAgentGroup    Kind = "agp"
	KindScheduleGroup Kind = "sch"
	KindAgent         Kind = "agt"
	KindDevice        Kind = "dev"
)

// FormatID returns the opaque internalId of the entity of kind k whose row id is id.
func FormatID(k Kind, id int64) string {
	return string(k) + "-" + strconv.FormatInt(id, 10)
}

// AppendID appends FormatID(k, id) to dst, for an encoder that writes it without a string.
func AppendID(dst []byte, k Kind, id int64) []byte {
	dst = append(dst, k...)
	dst = append(dst, '-')
	return strconv.AppendInt(dst, id, 10)
}

// parseID splits an internalId into its kind and row id; ok is false when s is not an
// internalId this service could have issued.
func parseID(s string) (k Kind, id int64, ok bool) {
	prefix, digits, found := strings.Cut(s, "-")
	if !found || len(digits) == 0 || len(digits) > 18 || digits[0] == '0' {
		return "", 0, false
	}
	for i := 0; i < len(digits); i++ {
		if digits[i] < '0' || digits[i] > '9' {
			return "", 0, false
		}
	}
	id, err := strconv.ParseInt(digits, 10, 64)
	if err != nil {
		return "", 0, false
	}
	switch k := Kind(prefix); k {
	case KindOrg, KindUser, KindAgentGroup, KindScheduleGroup, KindAgent, KindDevice:
		return k, id, true
	}
	return "", 0, false
}

// InternalID returns the user's internalId.
func (u *User) InternalID() string { return FormatID(KindUser, u.ID) }

// InternalID returns the agent group's internalId.
func (g *AgentGroup) InternalID() string { return FormatID(KindAgentGroup, g.ID) }

// InternalID returns the schedule group's internalId.
func (s *ScheduleGroup) InternalID() string { return FormatID(KindScheduleGroup, s.ID) }
