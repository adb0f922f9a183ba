package logjson

import (
	"errors"
	"io"
	"math"
	"testing"
	"time"

	"github.com/sirupsen/logrus"
)

// requestFields are the fields of a request's log line, as the service logs them.
func requestFields() logrus.Fields {
	return logrus.Fields{
		"method": "POST", "path": "/services/ContactCenter", "operation": "showAgentGroup",
		"operator": "demo", "status": 200, "outcome": "ok", "code": "ok", "items": 1, "warnings": 0,
		"duration_ms": 0.412, "correlation_id": "4f9c2a6b0e1d4c7a9b3e5d2f1a0c8e6b", "remote": "127.0.0.1:51234",
	}
}

// TestJSONFormatterMatchesLogrus: Formatter writes the very bytes logrus.JSONFormatter
// writes, for the request line and for values that need escaping, other types, floats either
// side of encoding/json's exponent bounds, and fields clashing with the line's own keys.
func TestJSONFormatterMatchesLogrus(t *testing.T) {
	type point struct{ X, Y int }
	at := time.Date(2026, 11, 22, 5, 1, 12, 345e6, time.FixedZone("", 3600))
	tests := map[string]logrus.Fields{
		"request line":  requestFields(),
		"failed":        {"code": "INTERNAL_ERROR", logrus.ErrorKey: errors.New(`database "on" <fire> & \ gone`)},
		"no fields":     {},
		"escapes":       {"s": "tab\there\nquote\" back\\ <b>&amp; \x00\x1f\x7f Zoë 日本 \u2028 bad\xffutf8"},
		"odd key <&>":   {"k\"ey<>": "v"},
		"types":         {"i8": int8(-3), "u": uint(7), "i64": int64(-1) << 62, "b": true, "nil": nil, "slice": []string{"a"}, "struct": point{1, 2}, "dur": time.Second, "f32": float32(0.1)},
		"floats":        {"zero": 0.0, "neg0": math.Copysign(0, -1), "tiny": 1e-7, "edge": 1e-6, "big": 1e21, "below": 9.99e20, "third": 1.0 / 3, "neg": -2.5},
		"clashing keys": {"msg": "mine", "time": "t", "level": "l"},
	}
	for name, fields := range tests {
		t.Run(name, func(t *testing.T) {
			log := logrus.New()
			log.SetOutput(io.Discard)
			for _, level := range []logrus.Level{logrus.InfoLevel, logrus.ErrorLevel} {
				e := &logrus.Entry{Logger: log, Data: fields, Time: at, Level: level, Message: `request "x" <y>`}
				want, err := (&logrus.JSONFormatter{}).Format(e)
				if err != nil {
					t.Fatal(err)
				}
				want = append([]byte(nil), want...)
				got, err := (&Formatter{}).Format(e)
				if err != nil {
					t.Fatal(err)
				}
				if string(got) != string(want) {
					t.Errorf("got  %s\nwant %s", got, want)
				}
			}
		})
	}
	if _, err := (&Formatter{}).Format(&logrus.Entry{Data: logrus.Fields{"nan": math.NaN()}}); err == nil {
		t.Error("a NaN field formatted without an error, as JSONFormatter refuses it")
	}
}

// TestJSONFormatterReusesOrderOnlyForSameFields formats lines of different fields in turn
// with one formatter, which keeps the order of the last line's keys: each line still
// matches logrus.JSONFormatter's.
func TestJSONFormatterReusesOrderOnlyForSameFields(t *testing.T) {
	swapped := requestFields()
	delete(swapped, "remote")
	swapped["zzz"] = "same count, another key"
	more := requestFields()
	more[logrus.ErrorKey] = errors.New("boom")
	clashing := requestFields()
	delete(clashing, "remote")
	clashing["msg"] = "mine"
	f := &Formatter{}
	at := time.Date(2026, 11, 22, 5, 1, 12, 0, time.UTC)
	for i, fields := range []logrus.Fields{requestFields(), requestFields(), swapped, requestFields(), more, clashing, requestFields(), {}, requestFields()} {
		e := &logrus.Entry{Data: fields, Time: at, Level: logrus.InfoLevel, Message: "request"}
		want, err := (&logrus.JSONFormatter{}).Format(e)
		if err != nil {
			t.Fatal(err)
		}
		want = append([]byte(nil), want...)
		got, err := f.Format(e)
		if err != nil {
			t.Fatal(err)
		}
		if string(got) != string(want) {
			t.Errorf("line %d: got  %s\nwant %s", i, got, want)
		}
	}
}

// BenchmarkRequestLine logs a request's line as engage serve does, in JSON.
func BenchmarkRequestLine(b *testing.B) {
	log := logrus.New()
	log.SetOutput(io.Discard)
	log.SetFormatter(&Formatter{})
	b.ReportAllocs()
	for b.Loop() {
		(&logrus.Entry{Logger: log, Data: requestFields()}).Info("request")
	}
}
