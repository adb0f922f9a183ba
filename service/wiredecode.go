package service

import "strings"

// wireElement is a request wrapper or wire type decoded without reflection, exactly as
// encoding/xml decodes it by its struct tags: a child element goes to the field whose tag
// names its local name, in any namespace; a string field takes the element's own character
// data, the last such element winning; a pointer field is allocated at its first element
// and each later one decodes into the same value; a slice field gets one item per element.
// Other child elements, attributes, comments and the text between child elements are
// ignored. The request wrappers of the other operations go through encoding/xml.
type wireElement interface {
	// child returns where the child element named local is decoded: into the string field
	// text, or into the element field; neither, when it is ignored.
	child(local string) (text *string, element wireElement)
}

// decodeChildren decodes into v the children of an element whose start has been read, from
// tokens up to its end element; it returns the tokens after that end. The tokens are those
// of a whole well-formed element.
func decodeChildren(tokens []keptToken, v wireElement) []keptToken {
	for {
		tok := &tokens[0]
		tokens = tokens[1:]
		switch tok.kind {
		case endToken:
			return tokens
		case startToken:
			text, element := v.child(tok.name.Local)
			switch {
			case text != nil:
				*text, tokens = elementText(tokens)
			case element != nil:
				tokens = decodeChildren(tokens, element)
			default:
				_, tokens = elementText(tokens) // an element ignored, with its text
			}
		}
	}
}

// elementText returns the character data of an element whose start has been read, that of
// its child elements left out, and the tokens after its end.
func elementText(tokens []keptToken) (string, []keptToken) {
	var text string
	var joined *strings.Builder
	for depth := 0; ; {
		tok := &tokens[0]
		tokens = tokens[1:]
		switch {
		case tok.kind == startToken:
			depth++
		case tok.kind == endToken && depth > 0:
			depth--
		case tok.kind == endToken && joined != nil:
			return joined.String(), tokens
		case tok.kind == endToken:
			return text, tokens
		case tok.kind == textToken && depth == 0 && text == "":
			// Most elements hold one piece of text: it is taken as it is.
			text = tok.text
		case tok.kind == textToken && depth == 0:
			if joined == nil {
				joined = new(strings.Builder)
				joined.WriteString(text)
			}
			joined.WriteString(tok.text)
		}
	}
}

// allocated returns the value *p points to, allocating it first when p holds nil: the field of an
// element that may come more than once.
func allocated[T any](p **T) *T {
	if *p == nil {
		*p = new(T)
	}
	return *p
}

// item appends a new item to *s and returns it: the field of an element of a list.
func item[T any](s *[]T) *T {
	var zero T
	*s = append(*s, zero)
	return &(*s)[len(*s)-1]
}

// pointerItem appends a new item to *s, a list of pointers, and returns it.
func pointerItem[T any](s *[]*T) *T {
	*s = append(*s, new(T))
	return (*s)[len(*s)-1]
}
