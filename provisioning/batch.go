package provisioning

import "errors"

// Warning is one failed item of a partly successful call: its 0-based position in the request
// and the documented error that failed it.
type Warning struct {
	Index int
	Err   *Error
}

// checkBatch checks the size of a batch: ARG_NULL when it is empty, ARG_TOO_LARGE naming arg
// past the per-call limit.
func (s *Service) checkBatch(n int, arg string) error {
	if n == 0 {
		return Errorf(ArgNull, arg)
	}
	if n > s.limits.ItemsPerCall {
		return Errorf(ArgTooLarge, arg)
	}
	return nil
}

// eachItem runs do for items 0..n-1, each in its own savepoint, so that an item either fully
// happens or not at all. A documented error fails its item alone and becomes a warning; any
// other error fails the whole call.
func eachItem(tx Tx, n int, do func(i int) error) ([]Warning, error) {
	var warnings []Warning
	for i := 0; i < n; i++ {
		err := tx.Item(func() error { return do(i) })
		var e *Error
		switch {
		case err == nil:
		case errors.As(err, &e):
			warnings = append(warnings, Warning{Index: i, Err: e})
		default:
			return nil, err
		}
	}
	return warnings, nil
}
