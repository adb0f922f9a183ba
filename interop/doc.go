// Package interop proves the contract with the SOAP clients people use: its tests build the
// real engage binary, serve a new database on a loopback port, and run one scenario with each
// client (zeep, suds, JAX-WS wsimport, node-soap and the gowsdl-generated Go client), each
// loading the WSDL from the running server. Every exchange passes through a recording proxy,
// and every response and fault the clients receive is validated against the XSD.
//
// The clients' scripts are under clients/; the package itself holds only tests.
package interop
