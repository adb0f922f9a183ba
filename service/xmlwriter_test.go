package service

import (
	"bytes"
	"encoding/xml"
	"testing"
)

// TestTextEscapes: text writes every value as xml.EscapeText escapes it, whether or not the
// value has anything to escape.
func TestTextEscapes(t *testing.T) {
	values := []string{"", "agent-42", "Zoë", "a&b", "<x>", `"q" 'a'`, "tab\there", "line\r\n", "\x7f", "bad\xffutf8", "日本"}
	for c := range 256 {
		values = append(values, "x"+string(rune(c))+"y", string([]byte{byte(c)}))
	}
	for _, v := range values {
		var want bytes.Buffer
		want.WriteString("<v>")
		if err := xml.EscapeText(&want, []byte(v)); err != nil {
			t.Fatal(err)
		}
		want.WriteString("</v>")
		var w xmlWriter
		w.text("v", v)
		if got := w.buf.String(); got != want.String() {
			t.Errorf("text(%q) = %q, want %q", v, got, want.String())
		}
	}
}
