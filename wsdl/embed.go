// Package wsdl holds the service contract: the WSDL 1.1 description of the Contact Center
// service and the XSD of its messages, embedded so that the binary can publish them.
package wsdl

import "embed"

// The names of the contract's files in Files.
const (
	// WSDLFile is the WSDL 1.1 description; it imports SchemaFile by this relative name.
	WSDLFile = "contact-center.wsdl"
	// SchemaFile is the XML Schema of every request, response and fault element.
	SchemaFile = "contact-center.xsd"
)

// Files holds WSDLFile and SchemaFile.
//
//go:embed contact-center.wsdl contact-center.xsd
var Files embed.FS
