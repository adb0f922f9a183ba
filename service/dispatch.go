package service

import (
	"encoding/xml"
	"strings"
)

// dispatch returns the operation the Body's element names. The element must be in Namespace
// and name an operation of the contract. The action is only a hint: empty, or naming nothing
// the service knows, it is ignored; naming another operation of the contract, it is refused.
// An operation of the contract without a handler yet is the service's own failure.
func (h *handler) dispatch(name xml.Name, action string) (operation, error) {
	op, served := h.ops[name.Local]
	if name.Space != Namespace || (!served && !h.unimplemented[name.Local]) {
		return operation{}, invalidData("unknown operation " + clark(name))
	}
	if other := h.actionOperation(action); other != "" && other != name.Local {
		return operation{}, invalidData("action " + action + " does not name operation " + name.Local)
	}
	if !served {
		return operation{}, notImplemented(name.Local)
	}
	return op, nil
}

// actionOperation returns the operation of the contract an action names, as
// "urn:engage:contactcenter:1/{operation}" or as the bare name, or "".
func (h *handler) actionOperation(action string) string {
	name := strings.TrimPrefix(action, Namespace+"/")
	if _, ok := h.ops[name]; ok || h.unimplemented[name] {
		return name
	}
	return ""
}
