package service

import (
	"bytes"
	"encoding/xml"
	"slices"
	"testing"

	"github.com/engage-oss/engage/provisioning"
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

// TestWriterTallies: the writer counts the result elements it writes and keeps each
// warning's code, in order, for the log line and the metrics; reset forgets them.
func TestWriterTallies(t *testing.T) {
	var w xmlWriter
	w.startNS("listResponse", Namespace)
	for range 3 {
		w.start("result")
		w.text("code", "not-a-warning")
		w.end("result")
	}
	writeWarnings(&w, []provisioning.Warning{
		{Index: 1, Err: provisioning.Errorf(provisioning.ObjectExists, "u1")},
		{Index: 4, Err: provisioning.Errorf(provisioning.ObjectNotExists, "u4")},
	})
	w.end("listResponse")
	if w.results != 3 || !slices.Equal(w.warningCodes, []string{"OBJECT_EXISTS", "OBJECT_NOT_EXISTS"}) {
		t.Errorf("tallied %d results and warnings %v, want 3 and OBJECT_EXISTS, OBJECT_NOT_EXISTS", w.results, w.warningCodes)
	}
	if got := bytes.Count(w.buf.Bytes(), []byte("<result>")); got != w.results {
		t.Errorf("%d result elements written, %d tallied", got, w.results)
	}
	codes := w.warningCodes
	w.reset()
	if w.buf.Len() != 0 || w.results != 0 || w.warningCodes != nil || codes[0] != "OBJECT_EXISTS" {
		t.Errorf("after reset: %d bytes, %d results, warnings %v; handed over %v", w.buf.Len(), w.results, w.warningCodes, codes)
	}
}
