package service

import (
	"context"
	"encoding/xml"
	"errors"

	"github.com/engage-oss/engage/provisioning"
)

// op builds an operation whose request wrapper decodes into Req: it decodes the request,
// lets call carry it out and write the results, and wraps them in {name}Response.
func op[Req any](name string, call func(ctx context.Context, p *provisioning.Service, req *Req, w *xmlWriter) error) operation {
	return operation{name: name, serve: func(ctx context.Context, p *provisioning.Service, d requestDecoder, start xml.StartElement, w *xmlWriter) error {
		var req Req
		if err := d.decode(&req, start); err != nil {
			return decodeError(err)
		}
		w.startNS(name+"Response", Namespace)
		if err := call(ctx, p, &req, w); err != nil {
			return err
		}
		w.end(name + "Response")
		return nil
	}}
}

// result returns a function that writes a call's one result, when the call succeeded, and
// passes its error on: result(w, writeOrg)(p.ShowOrg(ctx, ref)).
func result[T any](w *xmlWriter, write func(*xmlWriter, string, *T)) func(T, error) error {
	return func(v T, err error) error {
		if err == nil {
			write(w, "result", &v)
		}
		return err
	}
}

// optionalResult is result for calls that may find nothing: it writes the result only when
// found.
func optionalResult[T any](w *xmlWriter, write func(*xmlWriter, string, *T)) func(T, bool, error) error {
	return func(v T, found bool, err error) error {
		if err == nil && found {
			write(w, "result", &v)
		}
		return err
	}
}

// results writes every result of a list or batch call and one warning per failed item.
func results[T any](w *xmlWriter, write func(*xmlWriter, string, *T), list []T, warnings []provisioning.Warning) {
	for i := range list {
		write(w, "result", &list[i])
	}
	writeWarnings(w, warnings)
}

// decodeError reports a request body that could not be decoded: as it is when it is already
// a documented error (a limit of the envelope reader), otherwise as ARG_INVALID_DATA naming
// what is wrong with the XML.
func decodeError(err error) error {
	var e *provisioning.Error
	if errors.As(err, &e) {
		return e
	}
	return provisioning.Errorf(provisioning.ArgInvalidData, err.Error())
}
