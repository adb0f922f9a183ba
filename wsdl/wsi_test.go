package wsdl_test

import (
	"regexp"
	"strings"
	"testing"

	"github.com/beevik/etree"

	"github.com/engage-oss/engage/wsdl"
)

// The WS-I Basic Profile 1.1 rules (and the contract rules of the SOAP interop notes) that
// TestBasicProfile leaves out: imports, fault parts and bindings, encodings, actions, the
// wrapped style, and the XSD constructs generated clients get wrong.

// descendants returns every element under el (el excluded) in namespace ns named tag.
func descendants(el *etree.Element, ns, tag string) []*etree.Element {
	var out []*etree.Element
	for _, c := range el.ChildElements() {
		if c.Tag == tag && c.NamespaceURI() == ns {
			out = append(out, c)
		}
		out = append(out, descendants(c, ns, tag)...)
	}
	return out
}

// TestImports checks R2001-R2003: wsdl:import only for WSDL (this contract has none, as
// gowsdl never follows one), xsd:import only inside wsdl:types, each with a namespace and a
// schemaLocation the service publishes.
func TestImports(t *testing.T) {
	def := read(t, wsdl.WSDLFile).Root()
	if imports := descendants(def, wsdlNS, "import"); len(imports) != 0 {
		t.Errorf("%d wsdl:import: keep the WSDL one file", len(imports))
	}
	types := children(def, wsdlNS, "types")
	if len(types) != 1 {
		t.Fatalf("want one wsdl:types, got %d", len(types))
	}
	all := descendants(def, xsdNS, "import")
	inTypes := descendants(types[0], xsdNS, "import")
	if len(all) != len(inTypes) {
		t.Error("xsd:import outside wsdl:types (R2003)")
	}
	for _, imp := range inTypes {
		if imp.SelectAttrValue("namespace", "") != target || imp.SelectAttrValue("schemaLocation", "") != wsdl.SchemaFile {
			t.Errorf("xsd:import %v: want namespace %s and schemaLocation %s", imp.Attr, target, wsdl.SchemaFile)
		}
	}
}

// TestFaults checks R2205 (a wsdl:fault's message has one part, an element of the schema),
// R2706 and R2716 (soap:fault literal, without namespace), and R2721/R2754 (the soap:fault
// name is the wsdl:fault name) on both bindings.
func TestFaults(t *testing.T) {
	def := read(t, wsdl.WSDLFile).Root()
	schema := read(t, wsdl.SchemaFile).Root()
	global := map[string]bool{}
	for _, el := range children(schema, xsdNS, "element") {
		global[el.SelectAttrValue("name", "")] = true
	}
	parts := map[string][]*etree.Element{}
	for _, m := range children(def, wsdlNS, "message") {
		parts[m.SelectAttrValue("name", "")] = children(m, wsdlNS, "part")
	}
	for _, op := range descendants(children(def, wsdlNS, "portType")[0], wsdlNS, "operation") {
		for _, f := range children(op, wsdlNS, "fault") {
			p := parts[strings.TrimPrefix(f.SelectAttrValue("message", ""), "tns:")]
			if len(p) != 1 || p[0].SelectAttr("type") != nil || !global[strings.TrimPrefix(p[0].SelectAttrValue("element", ""), "tns:")] {
				t.Errorf("operation %s fault %s: its message must have one part naming a global element (R2205)",
					op.SelectAttrValue("name", ""), f.SelectAttrValue("name", ""))
			}
		}
	}
	for _, ns := range []string{soap11NS, soap12NS} {
		for _, sf := range descendants(def, ns, "fault") {
			wf := sf.Parent()
			if sf.SelectAttrValue("use", "") != "literal" || sf.SelectAttr("namespace") != nil || sf.SelectAttr("encodingStyle") != nil {
				t.Errorf("%s fault %s: want use=literal without namespace or encodingStyle (R2706, R2716)", ns, sf.SelectAttrValue("name", ""))
			}
			if wf.Tag != "fault" || wf.NamespaceURI() != wsdlNS || wf.SelectAttrValue("name", "") != sf.SelectAttrValue("name", "") {
				t.Errorf("%s fault %s: not named as its wsdl:fault (R2721, R2754)", ns, sf.SelectAttrValue("name", ""))
			}
		}
	}
}

// TestNoEncoding checks R1005-R1007, R2110 and R2111: no encodingStyle and no SOAP-encoded
// arrays anywhere in the contract.
func TestNoEncoding(t *testing.T) {
	for _, name := range []string{wsdl.WSDLFile, wsdl.SchemaFile} {
		data, err := wsdl.Files.ReadFile(name)
		if err != nil {
			t.Fatal(err)
		}
		for _, banned := range []string{"encodingStyle", "soap/encoding", "arrayType", "soapenc"} {
			if strings.Contains(string(data), banned) {
				t.Errorf("%s mentions %s", name, banned)
			}
		}
	}
}

// TestActions checks what R1109 and R2745 rely on: every operation of both bindings has a
// soapAction, an absolute URI that can be sent as a quoted string (no quote, backslash or
// white space), the same on both bindings, unique to the operation, and optional on SOAP 1.2
// (the service dispatches on the Body).
func TestActions(t *testing.T) {
	def := read(t, wsdl.WSDLFile).Root()
	bindings := children(def, wsdlNS, "binding")
	actions := map[string]string{}
	owner := map[string]string{}
	uri := regexp.MustCompile(`^[A-Za-z][A-Za-z0-9+.-]*:[^"\\\s]+$`)
	for i, ns := range []string{soap11NS, soap12NS} {
		for _, op := range children(bindings[i], wsdlNS, "operation") {
			name := op.SelectAttrValue("name", "")
			so := children(op, ns, "operation")
			if len(so) != 1 {
				t.Errorf("binding %d operation %s: want one soap:operation", i, name)
				continue
			}
			action := so[0].SelectAttrValue("soapAction", "")
			if !uri.MatchString(action) || action != target+"/"+name {
				t.Errorf("binding %d operation %s: soapAction %q, want %s/%s", i, name, action, target, name)
			}
			if style := so[0].SelectAttrValue("style", "document"); style != "document" {
				t.Errorf("binding %d operation %s: style %s", i, name, style)
			}
			if prev, ok := actions[name]; ok && prev != action {
				t.Errorf("operation %s: soapAction %q on SOAP 1.1 but %q on SOAP 1.2", name, prev, action)
			}
			actions[name] = action
			if other, ok := owner[action]; ok && other != name {
				t.Errorf("soapAction %q of both %s and %s", action, other, name)
			}
			owner[action] = name
			if ns == soap12NS && so[0].SelectAttrValue("soapActionRequired", "") != "false" {
				t.Errorf("operation %s: SOAP 1.2 soapActionRequired must be false", name)
			}
		}
	}
}

// TestWrappedStyle checks the JAX-WS wrapped style (JAX-WS 2.x section 2.3.1.2) that
// wsimport, zeep and node-soap unwrap: every global element an anonymous complexType holding
// only a sequence of elements, and the contract rules that keep gowsdl's and JAXB's output
// sane: named types used by no global element, no choice, any or attribute, maxOccurs 1 or
// unbounded, enumeration values plain identifiers.
func TestWrappedStyle(t *testing.T) {
	schema := read(t, wsdl.SchemaFile).Root()
	for _, el := range children(schema, xsdNS, "element") {
		name := el.SelectAttrValue("name", "")
		ct := children(el, xsdNS, "complexType")
		if el.SelectAttr("type") != nil || len(ct) != 1 || ct[0].SelectAttr("name") != nil {
			t.Errorf("global element %s: want an anonymous complexType", name)
			continue
		}
		kids := ct[0].ChildElements()
		if len(kids) != 1 || kids[0].Tag != "sequence" {
			t.Errorf("global element %s: want only a sequence", name)
			continue
		}
		for _, c := range kids[0].ChildElements() {
			if c.Tag != "element" || c.SelectAttr("ref") != nil {
				t.Errorf("global element %s: %s in its sequence, want local elements only", name, c.Tag)
			}
		}
	}
	for _, banned := range []string{"choice", "any", "anyAttribute", "attribute", "group", "include", "redefine"} {
		if found := descendants(schema, xsdNS, banned); len(found) != 0 {
			t.Errorf("the schema uses xsd:%s", banned)
		}
	}
	for _, el := range descendants(schema, xsdNS, "element") {
		if m := el.SelectAttrValue("maxOccurs", "1"); m != "1" && m != "unbounded" {
			t.Errorf("element %s: maxOccurs %s (gowsdl keeps a scalar)", el.SelectAttrValue("name", ""), m)
		}
	}
	ident := regexp.MustCompile(`^[A-Z][A-Z0-9_]*$`)
	for _, st := range children(schema, xsdNS, "simpleType") {
		for _, e := range descendants(st, xsdNS, "enumeration") {
			if v := e.SelectAttrValue("value", ""); !ident.MatchString(v) {
				t.Errorf("simpleType %s: enumeration value %q is not a plain identifier", st.SelectAttrValue("name", ""), v)
			}
		}
	}
}
