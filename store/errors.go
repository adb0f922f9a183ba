package store

import (
	"errors"
	"fmt"

	"github.com/mattn/go-sqlite3"

	"github.com/engage-oss/engage/provisioning"
)

// mapError maps a driver error to the provisioning errors by its extended result code: a
// broken UNIQUE or PRIMARY KEY constraint is provisioning.ErrExists. Any other error is
// returned wrapped, the driver error still reachable with errors.As.
func mapError(err error) error {
	var se sqlite3.Error
	if errors.As(err, &se) {
		switch se.ExtendedCode {
		case sqlite3.ErrConstraintUnique, sqlite3.ErrConstraintPrimaryKey:
			return fmt.Errorf("store: %w: %w", provisioning.ErrExists, err)
		}
	}
	return fmt.Errorf("store: %w", err)
}

// notFound returns provisioning.ErrNotFound wrapped with what was looked for.
func notFound(entity string, key any) error {
	return fmt.Errorf("store: %s %v: %w", entity, key, provisioning.ErrNotFound)
}
