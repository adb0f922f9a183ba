// Package provisioning holds the Contact Center domain: its entities, the rules that create,
// change and delete them, the agent work-state machine, the limits, and the documented error
// codes. It knows nothing about XML, HTTP or SQL: the service package maps the wire to it and
// the store package implements the Store it needs.
package provisioning

import (
	"errors"
	"fmt"
)

// Code is one of the documented error codes of the contract.
type Code string

// The documented error codes.
const (
	ArgInvalidChar         Code = "ARG_INVALID_CHAR"
	ArgInvalidData         Code = "ARG_INVALID_DATA"
	ArgInvalidType         Code = "ARG_INVALID_TYPE"
	ArgNull                Code = "ARG_NULL"
	ArgTooLarge            Code = "ARG_TOO_LARGE"
	InvalidObjectType      Code = "INVALID_OBJECT_TYPE"
	ObjectExists           Code = "OBJECT_EXISTS"
	ObjectNotExists        Code = "OBJECT_NOT_EXISTS"
	SystemLimitExceeded    Code = "SYSTEM_LIMIT_EXCEEDED"
	ResultTooLarge         Code = "RESULT_TOO_LARGE"
	AttributeNull          Code = "ATTRIBUTE_NULL"
	AttributeInvalidData   Code = "ATTRIBUTE_INVALID_DATA"
	AttributeInvalidFormat Code = "ATTRIBUTE_INVALID_FORMAT"
	InvalidState           Code = "INVALID_STATE"
	AuthenticationFailed   Code = "AUTHENTICATION_FAILED"
	PermissionDenied       Code = "PERMISSION_DENIED"
	InternalError          Code = "INTERNAL_ERROR"
)

// messageTemplates holds the contract's message for each code; %s is the argument.
var messageTemplates = map[Code]string{
	ArgInvalidChar:         "Invalid Data, argument '%s' contains invalid characters",
	ArgInvalidData:         "Invalid Data '%s'",
	ArgInvalidType:         "Argument is of invalid type '%s'",
	ArgNull:                "Invalid Data, argument '%s' must be non-null",
	ArgTooLarge:            "Invalid Data, argument '%s' exceeds allowed size",
	InvalidObjectType:      "The supplied object '%s' is not of the correct type",
	ObjectExists:           "Object '%s' already exists",
	ObjectNotExists:        "Referenced object '%s' does not exist",
	SystemLimitExceeded:    "maximum number of agents exceeded",
	ResultTooLarge:         "Result returned would be too large",
	AttributeNull:          "Attribute supplied is null",
	AttributeInvalidData:   "Attribute contains invalid data '%s'",
	AttributeInvalidFormat: "Attribute is not formatted correctly",
	InvalidState:           "Invalid Agent State '%s'",
	AuthenticationFailed:   "Authentication failed",
	PermissionDenied:       "Permission denied for operation '%s'",
	InternalError:          "Internal error, see contextId",
}

// organizationLimitMessage is the contract's SYSTEM_LIMIT_EXCEEDED message for groups.
const organizationLimitMessage = "maximum number of active organizations exceeded"

// Error is a documented failure: a code, the argument it names (an externalId, an internalId,
// or a parameter or attribute name) and the contract's message for them.
type Error struct {
	Code Code
	Arg  string
	// message overrides the code's template where the contract has a variant of it.
	message string
}

// Errorf returns the documented error code with its argument.
func Errorf(code Code, arg string) *Error {
	return &Error{Code: code, Arg: arg}
}

// Error returns the contract's message.
func (e *Error) Error() string {
	if e.message != "" {
		return e.message
	}
	tmpl, ok := messageTemplates[e.Code]
	if !ok {
		return string(e.Code)
	}
	if !containsVerb(tmpl) {
		return tmpl
	}
	return fmt.Sprintf(tmpl, e.Arg)
}

func containsVerb(s string) bool {
	for i := 0; i+1 < len(s); i++ {
		if s[i] == '%' && s[i+1] == 's' {
			return true
		}
	}
	return false
}

// ErrorCode returns the code of a documented error, or INTERNAL_ERROR for anything else.
func ErrorCode(err error) Code {
	var e *Error
	if errors.As(err, &e) {
		return e.Code
	}
	return InternalError
}

// ErrorMessage returns the message of a documented error, or the generic internal message:
// internal details never reach a client.
func ErrorMessage(err error) string {
	var e *Error
	if errors.As(err, &e) {
		return e.Error()
	}
	return messageTemplates[InternalError]
}

// ErrorArg returns the argument of a documented error, or "".
func ErrorArg(err error) string {
	var e *Error
	if errors.As(err, &e) {
		return e.Arg
	}
	return ""
}

// organizationLimit is SYSTEM_LIMIT_EXCEEDED with the message for agent and schedule groups.
func organizationLimit(arg string) *Error {
	return &Error{Code: SystemLimitExceeded, Arg: arg, message: organizationLimitMessage}
}
