package store

import (
	"fmt"

	"github.com/engage-oss/engage/provisioning"
)

// mapError maps a driver error to the provisioning errors: a broken UNIQUE or PRIMARY KEY
// constraint is provisioning.ErrExists. Any other error is returned wrapped, the driver
// error still reachable with errors.As.
func (d *dialect) mapError(err error) error {
	if d.isUnique(err) {
		return fmt.Errorf("store: %w: %w", provisioning.ErrExists, err)
	}
	return fmt.Errorf("store: %w", err)
}

// notFound returns provisioning.ErrNotFound wrapped with what was looked for. A look-up
// makes it before it knows whether it will find the row: its message is formatted only when
// it is read.
func notFound(entity string, key any) error {
	return &notFoundError{entity: entity, key: key}
}

// notFoundError is notFound's error.
type notFoundError struct {
	entity string
	key    any
}

func (e *notFoundError) Error() string {
	return fmt.Sprintf("store: %s %v: %v", e.entity, e.key, provisioning.ErrNotFound)
}

func (e *notFoundError) Unwrap() error { return provisioning.ErrNotFound }
