package service

import (
	"context"
	"crypto/rand"
	"encoding/hex"
	"net/http"
	"slices"
	"strconv"
	"time"

	"github.com/engage-oss/engage/provisioning"
	"github.com/sirupsen/logrus"
)

// CorrelationHeader is the HTTP header carrying a request's correlation id, in requests and
// in every response.
const CorrelationHeader = "X-Correlation-Id"

// maxCorrelationID is the longest correlation id taken from a client.
const maxCorrelationID = 64

// requestInfo is what the log line of a request reports beyond the HTTP exchange.
type requestInfo struct {
	// id is the correlation id: the response header, the faults' contextId, the log's.
	id string
	// operation is the local name of the Body's element, once known.
	operation string
	// operator is the name of the authenticated operator, once known.
	operator string
	// code is the fault code sent, or empty.
	code string
	// err is the error behind the fault, for the log only.
	err error
	// results is the number of result elements of a successful answer.
	results int
	// warningCodes are the codes of its warnings, in order.
	warningCodes []string
}

// requestInfoKey is the context key of the *requestInfo.
type requestInfoKey struct{}

// exchange is what ServeHTTP keeps of a request while serving it, in one allocation: the
// request's info, the context carrying it, and the writer recording the response's status.
type exchange struct {
	ctx    requestContext
	status statusWriter
}

// requestContext is a request's context carrying its info, as context.WithValue would carry
// it under requestInfoKey.
type requestContext struct {
	context.Context
	info requestInfo
}

// Value returns the request's info for requestInfoKey, and the parent's values for the
// other keys.
func (c *requestContext) Value(key any) any {
	if key == (requestInfoKey{}) {
		return &c.info
	}
	return c.Context.Value(key)
}

// requestInfoFrom returns the request's info, or an empty one outside a request.
func requestInfoFrom(ctx context.Context) *requestInfo {
	if info, ok := ctx.Value(requestInfoKey{}).(*requestInfo); ok {
		return info
	}
	return &requestInfo{}
}

// CorrelationID returns the correlation id of the request ctx belongs to, or "" outside one.
func CorrelationID(ctx context.Context) string {
	return requestInfoFrom(ctx).id
}

// correlationID returns the client's id when it is a sane token (at most 64 characters of
// A-Z a-z 0-9 . _ -), else a new random one.
func correlationID(incoming string) string {
	if saneCorrelationID(incoming) {
		return incoming
	}
	var b [16]byte
	// crypto/rand.Read never fails.
	_, _ = rand.Read(b[:])
	return hex.EncodeToString(b[:])
}

// saneCorrelationID reports whether id is fit to be echoed into headers, faults and logs.
func saneCorrelationID(id string) bool {
	if id == "" || len(id) > maxCorrelationID {
		return false
	}
	for _, c := range []byte(id) {
		switch {
		case 'a' <= c && c <= 'z', 'A' <= c && c <= 'Z', '0' <= c && c <= '9', c == '.', c == '_', c == '-':
		default:
			return false
		}
	}
	return true
}

// statusWriter records the status of a response.
type statusWriter struct {
	http.ResponseWriter
	status int
}

// WriteHeader records the status and sends it.
func (w *statusWriter) WriteHeader(status int) {
	if w.status == 0 {
		w.status = status
	}
	w.ResponseWriter.WriteHeader(status)
}

// Write sends b, recording the implicit 200 if no status was sent.
func (w *statusWriter) Write(b []byte) (int, error) {
	if w.status == 0 {
		w.status = http.StatusOK
	}
	return w.ResponseWriter.Write(b)
}

// Unwrap returns the underlying writer, for http.ResponseController.
func (w *statusWriter) Unwrap() http.ResponseWriter {
	return w.ResponseWriter
}

// logValue returns s as a log field's value: one boxed once for all when s is one of the
// strings most lines repeat (logValues), which spares the line an allocation.
func (h *handler) logValue(s string) any {
	if v, ok := h.logValues[s]; ok {
		return v
	}
	return s
}

// logValues returns the strings most log lines repeat, boxed: the operations' names, the
// endpoint's path and methods, and the outcomes.
func logValues(operations []string) map[string]any {
	values := make(map[string]any)
	for _, s := range slices.Concat(operations, []string{EndpointPath, http.MethodPost, http.MethodGet, "ok", "fault", "error"}) {
		values[s] = s
	}
	return values
}

// logLineFields is the most fields a request's log line has.
const logLineFields = 13

// logRequest writes the request's one log line: never its body nor its credentials, and the
// error behind an internal fault, which the client never sees. It returns the code logged:
// "ok", a fault code or http_STATUS.
func (h *handler) logRequest(r *http.Request, info *requestInfo, status int, elapsed time.Duration) string {
	if status == 0 {
		status = http.StatusOK
	}
	code := info.code
	switch {
	case code != "":
	case status < http.StatusBadRequest:
		code = "ok"
	default:
		code = "http_" + strconv.Itoa(status)
	}
	outcome := "ok"
	switch {
	case info.code != "":
		outcome = "fault"
	case code != "ok":
		outcome = "error"
	}
	// The entry is built on its fields directly: WithFields and WithError would each copy
	// them into a new map, and logging copies them once more. That copy is what hooks and
	// the formatter see: the map itself is reused for the next line.
	fields := h.logFields.Get().(logrus.Fields)
	defer func() {
		clear(fields)
		h.logFields.Put(fields)
	}()
	fields["method"] = h.logValue(r.Method)
	fields["path"] = h.logValue(r.URL.Path)
	fields["operation"] = h.logValue(info.operation)
	fields["operator"] = info.operator
	fields["status"] = status
	fields["outcome"] = h.logValue(outcome)
	fields["code"] = h.logValue(code)
	fields["items"] = info.results + len(info.warningCodes)
	fields["warnings"] = len(info.warningCodes)
	fields["duration_ms"] = float64(elapsed.Microseconds()) / 1000
	fields["correlation_id"] = info.id
	fields["remote"] = r.RemoteAddr
	if info.err != nil {
		fields[logrus.ErrorKey] = info.err
	}
	entry := &logrus.Entry{Logger: h.log, Data: fields}
	if info.err != nil && code == string(provisioning.InternalError) {
		entry.Error("request failed")
		return code
	}
	entry.Info("request")
	return code
}
