package service

import (
	"context"
	"encoding/xml"

	"github.com/engage-oss/engage/provisioning"
)

// Namespace is the contract's target namespace: the namespace of every request and response
// wrapper and of the EngageFault detail.
const Namespace = "urn:engage:contactcenter:1"

// operation is one operation of the contract.
type operation struct {
	// name is the operation's name: the local name of its request wrapper in Namespace.
	name string
	// serve decodes the request wrapper that start opened with d, calls the provisioning
	// service and writes the whole response wrapper ({name}Response, declaring Namespace as
	// the default namespace) to w. A returned error becomes a fault; nothing written to w is
	// sent then.
	serve func(ctx context.Context, p *provisioning.Service, d requestDecoder, start xml.StartElement, w *xmlWriter) error
}
