// Package goclient holds what users of the gowsdl-generated client (generated/) need beyond
// it: reading the service's faults.
package goclient

import (
	"encoding/xml"
	"errors"

	"github.com/hooklift/gowsdl/soap"

	"github.com/engage-oss/engage/generated"
)

// EngageFault returns the EngageFault detail of a SOAP fault the generated client reported.
// The gowsdl v0.5.0 client returns an answer with an HTTP status from 400 (500 for a SOAP 1.1
// fault, 401 for refused credentials) as a *soap.HTTPError holding the response body, without
// reading it.
func EngageFault(err error) (*generated.EngageFault, bool) {
	var httpErr *soap.HTTPError
	if !errors.As(err, &httpErr) {
		return nil, false
	}
	var envelope struct {
		Fault struct {
			Detail struct {
				EngageFault *generated.EngageFault
			} `xml:"detail"`
		} `xml:"Body>Fault"`
	}
	if xml.Unmarshal(httpErr.ResponseBody, &envelope) != nil || envelope.Fault.Detail.EngageFault == nil {
		return nil, false
	}
	return envelope.Fault.Detail.EngageFault, true
}
