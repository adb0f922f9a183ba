package service

import (
	"bytes"
	"encoding/xml"
	"strconv"
	"time"
)

// xmlWriter writes a response as a stream of bytes, with stable prefixes and every element the
// contract requires present even when its value is false, 0 or empty. It never fails: it writes
// to memory, and the caller sends the bytes only once the whole response is built.
//
// It also tallies what the request's log line and metrics report, as it writes: the result
// elements, and the code of each warning (the first code element after a warning opens).
type xmlWriter struct {
	buf bytes.Buffer
	// results is the number of result elements written.
	results int
	// warningCodes are the codes of the warnings written, in order.
	warningCodes []string
	// inWarning is set from a warning's start until its code is written.
	inWarning bool
}

// reset empties w for another response. The warning codes are handed over, not reused.
func (w *xmlWriter) reset() {
	w.buf.Reset()
	w.results, w.warningCodes, w.inWarning = 0, nil, false
}

// start opens an element.
func (w *xmlWriter) start(name string) {
	switch name {
	case "result":
		w.results++
	case "warning":
		w.inWarning = true
	}
	w.buf.WriteByte('<')
	w.buf.WriteString(name)
	w.buf.WriteByte('>')
}

// startNS opens an element that declares ns as the default namespace of its subtree.
func (w *xmlWriter) startNS(name, ns string) {
	w.buf.WriteByte('<')
	w.buf.WriteString(name)
	w.buf.WriteString(` xmlns="`)
	w.buf.WriteString(ns)
	w.buf.WriteString(`">`)
}

// end closes an element.
func (w *xmlWriter) end(name string) {
	w.buf.WriteString("</")
	w.buf.WriteString(name)
	w.buf.WriteByte('>')
}

// text writes an element holding escaped text; an empty value still writes the element.
func (w *xmlWriter) text(name, value string) {
	if w.inWarning && name == "code" {
		w.warningCodes = append(w.warningCodes, value)
		w.inWarning = false
	}
	w.start(name)
	if needsEscape(value) {
		xml.EscapeText(&w.buf, []byte(value))
	} else {
		// Most values (ids, states, names) are printable ASCII with nothing to escape:
		// they are written as they are, without a copy into a byte slice.
		w.buf.WriteString(value)
	}
	w.end(name)
}

// needsEscape reports whether xml.EscapeText would change s: it holds a character that XML
// escapes, a control character, or a byte outside ASCII (which EscapeText checks is UTF-8).
func needsEscape(s string) bool {
	for i := 0; i < len(s); i++ {
		switch c := s[i]; {
		case c < 0x20, c >= 0x7f, c == '<', c == '>', c == '&', c == '\'', c == '"':
			return true
		}
	}
	return false
}

// optText writes an element holding escaped text, or nothing when value is empty.
func (w *xmlWriter) optText(name, value string) {
	if value != "" {
		w.text(name, value)
	}
}

// int writes an xsd:int or xsd:long element.
func (w *xmlWriter) int(name string, v int64) {
	w.start(name)
	var digits [20]byte
	w.buf.Write(strconv.AppendInt(digits[:0], v, 10))
	w.end(name)
}

// bool writes an xsd:boolean element.
func (w *xmlWriter) bool(name string, v bool) {
	w.start(name)
	w.buf.WriteString(strconv.FormatBool(v))
	w.end(name)
}

// dateTime writes an xsd:dateTime element in UTC with millisecond precision, or nothing for the
// zero time (an optional moment that has not happened).
func (w *xmlWriter) dateTime(name string, t time.Time) {
	if t.IsZero() {
		return
	}
	w.start(name)
	var text [32]byte
	w.buf.Write(t.UTC().AppendFormat(text[:0], "2006-01-02T15:04:05.000Z07:00"))
	w.end(name)
}
