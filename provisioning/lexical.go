package provisioning

import (
	"regexp"
	"strconv"
	"strings"
	"time"
)

// The checks in this file read values in the lexical forms of XML Schema's built-in types.
// Inputs arrive as the text the client sent, so that a value that fails its form is reported
// with the documented code of the method that received it, naming the attribute.

// MaxExternalIDLength is the longest externalId the contract allows.
const MaxExternalIDLength = 64

// maxTextLength is the longest free text (a name, an email) the service stores.
const maxTextLength = 255

// checkExternalID reports the code of what is wrong with an externalId, if anything:
// ARG_INVALID_CHAR for a character outside A-Z a-z 0-9 . _ - @ + :, ARG_TOO_LARGE past
// 64 characters.
func checkExternalID(s, arg string) error {
	for i := 0; i < len(s); i++ {
		if !externalIDChar(s[i]) {
			return Errorf(ArgInvalidChar, arg)
		}
	}
	if len(s) > MaxExternalIDLength {
		return Errorf(ArgTooLarge, arg)
	}
	return nil
}

func externalIDChar(c byte) bool {
	switch {
	case 'a' <= c && c <= 'z', 'A' <= c && c <= 'Z', '0' <= c && c <= '9':
		return true
	}
	return strings.IndexByte("._-@+:", c) >= 0
}

// ValidExternalID reports whether s is a well-formed externalId.
func ValidExternalID(s string) bool {
	return s != "" && checkExternalID(s, "") == nil
}

// collapse applies XML Schema's whiteSpace="collapse" as far as the built-in types need it.
func collapse(s string) string {
	return strings.TrimSpace(s)
}

// parseInt reads an xs:int.
func parseInt(s string) (int, bool) {
	n, err := strconv.ParseInt(strings.TrimPrefix(collapse(s), "+"), 10, 32)
	return int(n), err == nil && !strings.HasPrefix(collapse(s), "+-")
}

// parseBool reads an xs:boolean.
func parseBool(s string) (bool, bool) {
	switch collapse(s) {
	case "true", "1":
		return true, true
	case "false", "0":
		return false, true
	}
	return false, false
}

// dateTimeLayouts are xs:dateTime's forms; a value without a time zone is taken as UTC.
var dateTimeLayouts = []string{"2006-01-02T15:04:05.999999999Z07:00", "2006-01-02T15:04:05.999999999"}

// The lexical forms of xs:dateTime and xs:time (years of four digits), checked before
// time.Parse, which also takes one-digit fields and a comma before the fraction.
var (
	dateTimeForm = regexp.MustCompile(`^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d+)?(Z|[+-]\d{2}:\d{2})?$`)
	timeForm     = regexp.MustCompile(`^\d{2}:\d{2}:\d{2}(\.\d+)?(Z|[+-]\d{2}:\d{2})?$`)
)

// parseDateTime reads an xs:dateTime.
func parseDateTime(s string) (time.Time, bool) {
	s = collapse(s)
	if !dateTimeForm.MatchString(s) {
		return time.Time{}, false
	}
	for _, layout := range dateTimeLayouts {
		if t, err := time.Parse(layout, s); err == nil {
			return t.UTC(), true
		}
	}
	return time.Time{}, false
}

// timeLayouts are xs:time's forms.
var timeLayouts = []string{"15:04:05.999999999Z07:00", "15:04:05.999999999"}

// parseTime reads an xs:time and returns it in the canonical form hh:mm:ss: in UTC when it
// has a time zone, and a value without one taken as UTC, as for xs:dateTime.
func parseTime(s string) (string, bool) {
	s = collapse(s)
	if !timeForm.MatchString(s) {
		return "", false
	}
	for _, layout := range timeLayouts {
		if t, err := time.Parse(layout, s); err == nil {
			return t.UTC().Format("15:04:05"), true
		}
	}
	return "", false
}

// checkText refuses free text longer than the service stores.
func checkText(s, arg string) error {
	if len(s) > maxTextLength {
		return Errorf(AttributeInvalidData, arg)
	}
	return nil
}
