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

// notFound returns provisioning.ErrNotFound wrapped with what was looked for.
func notFound(entity string, key any) error {
	return fmt.Errorf("store: %s %v: %w", entity, key, provisioning.ErrNotFound)
}
