package service

import (
	"bytes"
	"fmt"
	"reflect"
	"strings"
	"testing"
)

// wireWrappers are the request wrappers decoded without reflection, as new values.
func wireWrappers() []wireElement {
	return []wireElement{
		new(orgRequest), new(usersRequest), new(userRequest), new(agentGroupRequest),
		new(listAgentGroupStatesRequest), new(scheduleGroupRequest), new(agentsRequest),
		new(agentRequest), new(deviceRequest), new(baseEntityRequest),
	}
}

// wireSample returns the children of an element of type t, a request wrapper or wire type,
// as a client could send them to make the two decoders differ: every field's element twice,
// in namespaces of their own and with attributes, the second one naming only every other
// field of a struct (so that its first one's fields stay), and its text split by a comment,
// a child element and an entity; unknown elements and text between the fields. path names
// the element in the texts, levels is how many levels of structs are filled.
func wireSample(t reflect.Type, path string, levels int, round int) string {
	var b strings.Builder
	b.WriteString("text of " + path + "<unknown><internalId>not " + path + "</internalId></unknown>")
	for i := range t.NumField() {
		if round == 1 && i%2 == 0 {
			continue
		}
		f := t.Field(i)
		name := f.Tag.Get("xml")
		typ := f.Type
		for typ.Kind() == reflect.Pointer || typ.Kind() == reflect.Slice {
			typ = typ.Elem()
		}
		for r := range 2 {
			at := fmt.Sprintf("%s/%s[%d]", path, name, r)
			var inner string
			switch {
			case typ.Kind() == reflect.String && r == 0:
				inner = at
			case typ.Kind() == reflect.String:
				inner = at + "<!-- a comment --> split<child>not " + at + "</child> &amp; joined"
			case levels > 0:
				inner = wireSample(typ, at, levels-1, r)
			}
			fmt.Fprintf(&b, `<n%d:%s xmlns:n%[1]d="urn:n%[1]d" n%[1]d:a="x" b="y">%[3]s</n%[1]d:%[2]s>`, r, name, inner)
		}
	}
	return b.String()
}

// wrapperEnvelope returns an envelope whose Body holds an element with the given children.
func wrapperEnvelope(children string) []byte {
	return []byte(env11("", `<cc:op xmlns:cc="urn:engage:contactcenter:1">`+children+`</cc:op>`))
}

// sameAsEncodingXML decodes the Body's element of body into every wrapper of wireWrappers
// without reflection and with encoding/xml, and fails when the two differ. It returns how
// many of the decoded wrappers are not empty.
func sameAsEncodingXML(t *testing.T, body []byte) (filled int) {
	t.Helper()
	env, err := readEnvelope(bytes.NewReader(body), int64(len(body)), soap11)
	if err != nil {
		return 0
	}
	d, start := env.decoder()
	for _, wrapper := range wireWrappers() {
		typ := reflect.TypeOf(wrapper).Elem()
		want := reflect.New(typ).Interface()
		if err := d.decodeXML(want, start); err != nil {
			t.Fatalf("%v: encoding/xml: %v", typ, err)
		}
		if err := d.decode(wrapper, start); err != nil {
			t.Fatalf("%v: %v", typ, err)
		}
		if !reflect.DeepEqual(wrapper, want) {
			t.Fatalf("%v decoded\nwithout reflection: %s\nwith encoding/xml:  %s", typ, dump(wrapper), dump(want))
		}
		if !reflect.ValueOf(wrapper).Elem().IsZero() {
			filled++
		}
	}
	return filled
}

// dump returns v's fields, pointers followed.
func dump(v any) string {
	var b strings.Builder
	var walk func(reflect.Value)
	walk = func(v reflect.Value) {
		switch v.Kind() {
		case reflect.Pointer:
			if v.IsNil() {
				b.WriteString("nil")
				return
			}
			b.WriteString("&")
			walk(v.Elem())
		case reflect.Slice:
			b.WriteString("[")
			for i := range v.Len() {
				walk(v.Index(i))
				b.WriteString(" ")
			}
			b.WriteString("]")
		case reflect.Struct:
			b.WriteString("{")
			for i := range v.NumField() {
				b.WriteString(v.Type().Field(i).Name + ":")
				walk(v.Field(i))
				b.WriteString(" ")
			}
			b.WriteString("}")
		default:
			fmt.Fprintf(&b, "%q", v.Interface())
		}
	}
	walk(reflect.ValueOf(v))
	return b.String()
}

func TestWireDecodingAsEncodingXML(t *testing.T) {
	for _, wrapper := range wireWrappers() {
		typ := reflect.TypeOf(wrapper).Elem()
		t.Run(typ.Name(), func(t *testing.T) {
			if filled := sameAsEncodingXML(t, wrapperEnvelope(wireSample(typ, typ.Name(), 3, 0))); filled == 0 {
				t.Fatal("the sample filled no wrapper")
			}
		})
	}
	for name, body := range goldenRequests(t) {
		t.Run(name, func(t *testing.T) {
			sameAsEncodingXML(t, body)
		})
	}
}

// FuzzWireDecoding checks that the request wrappers decoded without reflection decode as
// encoding/xml decodes them, whatever the Body's element holds.
func FuzzWireDecoding(f *testing.F) {
	for _, wrapper := range wireWrappers() {
		typ := reflect.TypeOf(wrapper).Elem()
		f.Add(wrapperEnvelope(wireSample(typ, typ.Name(), 2, 0)))
	}
	for _, body := range goldenRequests(f) {
		f.Add(body)
	}
	for _, name := range []string{"operations.xml", "wsse.xml", "echo.xml"} {
		f.Add([]byte(seed(f, name)))
	}
	f.Fuzz(func(t *testing.T, body []byte) {
		sameAsEncodingXML(t, body)
	})
}
