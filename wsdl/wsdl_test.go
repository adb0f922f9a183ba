package wsdl_test

import (
	"bytes"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"

	"github.com/beevik/etree"

	"github.com/engage-oss/engage/wsdl"
)

const (
	wsdlNS   = "http://schemas.xmlsoap.org/wsdl/"
	xsdNS    = "http://www.w3.org/2001/XMLSchema"
	soap11NS = "http://schemas.xmlsoap.org/wsdl/soap/"
	soap12NS = "http://schemas.xmlsoap.org/wsdl/soap12/"
	target   = "urn:engage:contactcenter:1"
)

func read(t *testing.T, name string) *etree.Document {
	t.Helper()
	data, err := wsdl.Files.ReadFile(name)
	if err != nil {
		t.Fatal(err)
	}
	doc := etree.NewDocument()
	if err := doc.ReadFromBytes(data); err != nil {
		t.Fatalf("%s: %v", name, err)
	}
	return doc
}

// children returns the child elements of el in namespace ns named tag.
func children(el *etree.Element, ns, tag string) []*etree.Element {
	var out []*etree.Element
	for _, c := range el.ChildElements() {
		if c.Tag == tag && c.NamespaceURI() == ns {
			out = append(out, c)
		}
	}
	return out
}

// TestSchemaCompiles has xmllint compile the XSD: a schema error fails it.
func TestSchemaCompiles(t *testing.T) {
	cmd := exec.Command("xmllint", "--noout", "--schema", "contact-center.xsd", "-")
	cmd.Stdin = strings.NewReader(`<EngageFault xmlns="urn:engage:contactcenter:1"><code>ARG_NULL</code><message>m</message><contextId>c</contextId></EngageFault>`)
	if out, err := cmd.CombinedOutput(); err != nil {
		t.Fatalf("xmllint: %v\n%s", err, out)
	}
}

// TestBasicProfile checks the WS-I Basic Profile 1.1 rules that clients depend on and that
// can be checked mechanically, and that the WSDL and the XSD agree.
func TestBasicProfile(t *testing.T) {
	def := read(t, wsdl.WSDLFile).Root()
	schema := read(t, wsdl.SchemaFile).Root()
	if def.SelectAttrValue("targetNamespace", "") != target || schema.SelectAttrValue("targetNamespace", "") != target {
		t.Fatal("target namespace")
	}
	if schema.SelectAttrValue("elementFormDefault", "") != "qualified" {
		t.Error("elementFormDefault must be qualified")
	}
	elements := map[string]*etree.Element{}
	for _, el := range children(schema, xsdNS, "element") {
		elements[el.SelectAttrValue("name", "")] = el
	}
	// R2204, R2201: document/literal messages have at most one part, an element.
	messages := map[string]string{}
	for _, m := range children(def, wsdlNS, "message") {
		parts := children(m, wsdlNS, "part")
		if len(parts) != 1 || parts[0].SelectAttr("type") != nil {
			t.Errorf("message %s: want one element part", m.SelectAttrValue("name", ""))
			continue
		}
		el := strings.TrimPrefix(parts[0].SelectAttrValue("element", ""), "tns:")
		if elements[el] == nil {
			t.Errorf("message %s: element %s not in the XSD", m.SelectAttrValue("name", ""), el)
		}
		messages[m.SelectAttrValue("name", "")] = el
	}
	portTypes := children(def, wsdlNS, "portType")
	if len(portTypes) != 1 {
		t.Fatalf("want one portType, got %d", len(portTypes))
	}
	ops := map[string]bool{}
	wrappers := map[string]bool{}
	for _, op := range children(portTypes[0], wsdlNS, "operation") {
		name := op.SelectAttrValue("name", "")
		if ops[name] {
			t.Errorf("operation %s overloaded (R2304)", name)
		}
		ops[name] = true
		// Wrapped style: the input element is named after the operation, the output {op}Response.
		in := messages[strings.TrimPrefix(children(op, wsdlNS, "input")[0].SelectAttrValue("message", ""), "tns:")]
		out := messages[strings.TrimPrefix(children(op, wsdlNS, "output")[0].SelectAttrValue("message", ""), "tns:")]
		if in != name || out != name+"Response" {
			t.Errorf("operation %s: wrappers %s and %s", name, in, out)
		}
		if wrappers[in] {
			t.Errorf("operation %s: wrapper %s not unique (R2710)", name, in)
		}
		wrappers[in] = true
		faults := children(op, wsdlNS, "fault")
		if len(faults) != 1 || messages[strings.TrimPrefix(faults[0].SelectAttrValue("message", ""), "tns:")] != "EngageFault" {
			t.Errorf("operation %s: must declare the EngageFault fault", name)
		}
	}
	// Every request wrapper of the XSD is an operation, and the other way round.
	for name := range elements {
		if !strings.HasSuffix(name, "Response") && name != "EngageFault" && !ops[name] {
			t.Errorf("XSD element %s has no operation", name)
		}
	}
	bindings := children(def, wsdlNS, "binding")
	if len(bindings) != 2 {
		t.Fatalf("want a SOAP 1.1 and a SOAP 1.2 binding, got %d", len(bindings))
	}
	for i, ns := range []string{soap11NS, soap12NS} {
		b := bindings[i]
		sb := children(b, ns, "binding")
		if len(sb) != 1 || sb[0].SelectAttrValue("style", "") != "document" || sb[0].SelectAttrValue("transport", "") != "http://schemas.xmlsoap.org/soap/http" {
			t.Errorf("binding %d: want document style over HTTP (R2702)", i)
		}
		bound := 0
		for _, op := range children(b, wsdlNS, "operation") {
			bound++
			for _, dir := range []string{"input", "output"} {
				body := children(children(op, wsdlNS, dir)[0], ns, "body")
				if len(body) != 1 || body[0].SelectAttrValue("use", "") != "literal" || body[0].SelectAttr("namespace") != nil {
					t.Errorf("binding %d operation %s %s: want literal body without namespace (R2705, R2716)", i, op.SelectAttrValue("name", ""), dir)
				}
			}
			fault := children(children(op, wsdlNS, "fault")[0], ns, "fault")
			if len(fault) != 1 || fault[0].SelectAttrValue("name", "") != "EngageFault" {
				t.Errorf("binding %d operation %s: soap fault name must be the wsdl fault name (R2721)", i, op.SelectAttrValue("name", ""))
			}
		}
		if bound != len(ops) {
			t.Errorf("binding %d binds %d of %d operations", i, bound, len(ops))
		}
	}
	ports := children(children(def, wsdlNS, "service")[0], wsdlNS, "port")
	if len(ports) != 2 || len(children(ports[0], soap11NS, "address")) != 1 || len(children(ports[1], soap12NS, "address")) != 1 {
		t.Error("want the SOAP 1.1 port first, then the SOAP 1.2 port")
	}
}

// TestGeneratedUpToDate regenerates the Go types with the pinned gowsdl and compares them with
// the committed ones: run `make generate` when it fails.
func TestGeneratedUpToDate(t *testing.T) {
	dir := t.TempDir()
	root, err := filepath.Abs("..")
	if err != nil {
		t.Fatal(err)
	}
	cmd := exec.Command("go", "tool", "gowsdl", "-d", dir, "-p", "generated", "-o", "contactcenter.go", filepath.Join(root, "wsdl", wsdl.WSDLFile))
	cmd.Dir = root
	if out, err := cmd.CombinedOutput(); err != nil {
		t.Fatalf("gowsdl: %v\n%s", err, out)
	}
	fresh, err := os.ReadFile(filepath.Join(dir, "generated", "contactcenter.go"))
	if err != nil {
		t.Fatal(err)
	}
	committed, err := os.ReadFile(filepath.Join(root, "generated", "contactcenter.go"))
	if err != nil {
		t.Fatal(err)
	}
	if !bytes.Equal(fresh, committed) {
		t.Fatal("generated/ is stale: run `make generate` and commit the result")
	}
}
