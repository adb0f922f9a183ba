package service

// operations returns every operation the service implements.
func operations() []operation {
	var all []operation
	for _, group := range [][]operation{
		orgOperations(), userOperations(), agentGroupOperations(), scheduleGroupOperations(),
		agentOperations(),
	} {
		all = append(all, group...)
	}
	return all
}
