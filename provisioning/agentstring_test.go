package provisioning

import (
	"strings"
	"testing"
	"unicode"
)

// parsed is what a test expects of one item of an agents string: either its fields or the
// code and argument of the error that fails it.
type parsed struct {
	user, phone, method, login, schedule string
	code                                 Code
	arg                                  string
}

// got returns what an item holds, in the form of parsed.
func got(item newAgent) parsed {
	if item.err != nil {
		return parsed{code: ErrorCode(item.err), arg: ErrorArg(item.err)}
	}
	p := parsed{phone: item.phone, method: item.registrationMethod, login: item.loginEnabled, schedule: item.scheduleGroup}
	if item.user != nil {
		p.user = item.user.ExternalID
	}
	return p
}

func bad(code Code, arg string) parsed { return parsed{code: code, arg: arg} }

func TestParseAgentsString(t *testing.T) {
	cases := []struct {
		name, in string
		want     []parsed
	}{
		{"one field", "u1", []parsed{{user: "u1"}}},
		{"every field", "u1,+15551230001,SIP,false,sg", []parsed{{user: "u1", phone: "+15551230001", method: "SIP", login: "false", schedule: "sg"}}},
		{"empty optional fields", "u1,,,,sg", []parsed{{user: "u1", schedule: "sg"}}},
		{"spaces around fields", "  u1 , +15551230001 ,PHONE, 1 ", []parsed{{user: "u1", phone: "+15551230001", method: "PHONE", login: "1"}}},
		{"LF", "u1\nu2\nu3\n", []parsed{{user: "u1"}, {user: "u2"}, {user: "u3"}}},
		{"CRLF", "u1,+15551230001\r\nu2\r\n", []parsed{{user: "u1", phone: "+15551230001"}, {user: "u2"}}},
		{"no final newline", "u1\nu2", []parsed{{user: "u1"}, {user: "u2"}}},
		{"quoted fields", `"u1","+15551230001","WEBRTC","true","sg"`, []parsed{{user: "u1", phone: "+15551230001", method: "WEBRTC", login: "true", schedule: "sg"}}},
		{"quoted field with comma", `"u,1"`, []parsed{bad(ArgInvalidChar, "userExternalId")}},
		{"quoted field with doubled quote", `"u""1"`, []parsed{bad(ArgInvalidChar, "userExternalId")}},
		{"comments and blank lines", "# agents\n\nu1\n   \n#u9\n\r\nu2\n", []parsed{{user: "u1"}, {user: "u2"}}},
		{"header", "userExternalId,currentPhoneNumber,registrationMethod,loginEnabled,scheduleGroupExternalId\nu1\n", []parsed{{user: "u1"}}},
		{"short header", "userExternalId,currentPhoneNumber\nu1,+15551230001\n", []parsed{{user: "u1", phone: "+15551230001"}}},
		{"header after comment and blank line", "# exported\n\n  \nuserExternalId, currentPhoneNumber\nu1\n", []parsed{{user: "u1"}}},
		{"header only as first record", "u1\nuserExternalId\n", []parsed{{user: "u1"}, {user: "userExternalId"}}},
		{"too many fields", "u1,+15551230001,SIP,true,sg,extra\nu2", []parsed{bad(ArgInvalidData, "agents"), {user: "u2"}}},
		{"bare quote", "u\"1\nu2", []parsed{bad(ArgInvalidData, "agents"), {user: "u2"}}},
		{"text after closing quote", "\"u1\"x,+15551230001\nu2\nu3", []parsed{bad(ArgInvalidData, "agents"), {user: "u2"}, {user: "u3"}}},
		{"unterminated quote takes the rest", "u1\n\"u2\nu3\n", []parsed{{user: "u1"}, bad(ArgInvalidData, "agents")}},
		{"newline in quoted field", "\"u\n1\"\nu2", []parsed{bad(ArgInvalidChar, "userExternalId"), {user: "u2"}}},
		{"tab in quoted phone", "u1,\"+1555\t1230001\"", []parsed{bad(ArgInvalidChar, "currentPhoneNumber")}},
		{"control character in schedule", "u1,,,,\"s\x01g\"", []parsed{bad(ArgInvalidChar, "scheduleGroupExternalId")}},
		{"C1 control character", "u1,,\"SIP\u0085\"", []parsed{bad(ArgInvalidChar, "registrationMethod")}},
		{"bad externalId char", "u/1\nu 2\nu2", []parsed{bad(ArgInvalidChar, "userExternalId"), bad(ArgInvalidChar, "userExternalId"), {user: "u2"}}},
		{"bad schedule externalId", "u1,,,,s#g", []parsed{bad(ArgInvalidChar, "scheduleGroupExternalId")}},
		{"externalId too long", strings.Repeat("a", 65), []parsed{bad(ArgTooLarge, "userExternalId")}},
		{"externalId of 64", strings.Repeat("a", 64), []parsed{{user: strings.Repeat("a", 64)}}},
		{"empty user", ",+15551230001", []parsed{bad(ArgInvalidData, "userExternalId")}},
		{"bad phone", "u1,5551230001\nu2,+0123\nu3,+1-555\nu4,+1", []parsed{bad(ArgInvalidData, "currentPhoneNumber"), bad(ArgInvalidData, "currentPhoneNumber"), bad(ArgInvalidData, "currentPhoneNumber"), bad(ArgInvalidData, "currentPhoneNumber")}},
		{"bad registration method", "u1,,FAX\nu2,,sip", []parsed{bad(ArgInvalidData, "registrationMethod"), bad(ArgInvalidData, "registrationMethod")}},
		{"bad loginEnabled", "u1,,,yes\nu2,,,TRUE", []parsed{bad(ArgInvalidData, "loginEnabled"), bad(ArgInvalidData, "loginEnabled")}},
		{"nothing", "", nil},
		{"comments only", "# none\n\n", nil},
	}
	for _, c := range cases {
		items, err := parseAgentsString(c.in, 1000)
		if err != nil {
			t.Errorf("%s: %v", c.name, err)
			continue
		}
		if len(items) != len(c.want) {
			t.Errorf("%s: want %d items, got %d: %+v", c.name, len(c.want), len(items), items)
			continue
		}
		for i := range items {
			if g := got(items[i]); g != c.want[i] {
				t.Errorf("%s: item %d: want %+v, got %+v", c.name, i, c.want[i], g)
			}
		}
	}
}

// TestParseAgentsStringIndexes checks that an item's position, which is a warning's index,
// counts agent records only, good or bad.
func TestParseAgentsStringIndexes(t *testing.T) {
	in := "userExternalId\n# comment\nu0\n\nu 1\n# another\nu2,,FAX\n\"u3\"\n  \nu4\n"
	want := []parsed{{user: "u0"}, bad(ArgInvalidChar, "userExternalId"), bad(ArgInvalidData, "registrationMethod"), {user: "u3"}, {user: "u4"}}
	items, err := parseAgentsString(in, 1000)
	if err != nil || len(items) != len(want) {
		t.Fatalf("got %d items (%v), want %d", len(items), err, len(want))
	}
	for i := range want {
		if g := got(items[i]); g != want[i] {
			t.Errorf("item %d: want %+v, got %+v", i, want[i], g)
		}
	}
}

func TestParseAgentsStringRecordLimit(t *testing.T) {
	var b strings.Builder
	b.WriteString("userExternalId\n# header and comments do not count\n")
	for i := 0; i < 3; i++ {
		b.WriteString("u" + string(rune('0'+i)) + "\n\n")
	}
	if items, err := parseAgentsString(b.String(), 3); err != nil || len(items) != 3 {
		t.Fatalf("3 records with a limit of 3: %d items, %v", len(items), err)
	}
	b.WriteString("u 3\n") // a bad record counts too
	_, err := parseAgentsString(b.String(), 3)
	if ErrorCode(err) != ArgTooLarge || ErrorArg(err) != "agents" {
		t.Fatalf("4 records with a limit of 3: want ARG_TOO_LARGE agents, got %v", err)
	}
}

// FuzzAgentsString checks that parsing any agents string never panics, that it fails as a
// whole only with ARG_TOO_LARGE, that a failed item carries a documented record code, and that
// every accepted item holds a well-formed userExternalId and no control character.
func FuzzAgentsString(f *testing.F) {
	for _, s := range []string{
		"u1",
		"u1,+15551230001,SIP,true,sg\r\nu2,+15551230002,PHONE,0\r\n",
		"userExternalId,currentPhoneNumber,registrationMethod,loginEnabled,scheduleGroupExternalId\nu1\n",
		"# comment\n\n   \nu1\n",
		`"u1","+15551230001","WEBRTC","false","sg"`,
		"\"u\n1\"\nu2",
		"\"u1\"x,+1\nu2",
		"u\"1\nu2",
		"u1,\"+1555\t1230001\"",
		"u1,2,3,4,5,6",
		"\"unterminated\nu2\n",
		"u1,,,,s#g\nu\x002\nu3,+0,FAX,yes",
		"\ufeffu1\n\x85u2\n",
	} {
		f.Add(s)
	}
	allowed := map[Code]bool{ArgInvalidChar: true, ArgInvalidData: true, ArgTooLarge: true}
	f.Fuzz(func(t *testing.T, s string) {
		items, err := parseAgentsString(s, 50)
		if err != nil {
			if ErrorCode(err) != ArgTooLarge {
				t.Fatalf("%q: the call failed with %v", s, err)
			}
			return
		}
		for i, item := range items {
			if item.err != nil {
				if !allowed[ErrorCode(item.err)] {
					t.Errorf("%q: item %d failed with undocumented %v", s, i, item.err)
				}
				continue
			}
			if item.user == nil || !ValidExternalID(item.user.ExternalID) {
				t.Errorf("%q: item %d accepted with userExternalId %+v", s, i, item.user)
				continue
			}
			if item.scheduleGroup != "" && !ValidExternalID(item.scheduleGroup) {
				t.Errorf("%q: item %d accepted with scheduleGroupExternalId %q", s, i, item.scheduleGroup)
			}
			for _, field := range []string{item.user.ExternalID, item.phone, item.registrationMethod, item.loginEnabled, item.scheduleGroup} {
				if strings.ContainsFunc(field, unicode.IsControl) {
					t.Errorf("%q: item %d accepted with a control character in %q", s, i, field)
				}
			}
		}
	})
}
