"""Who owns a lead: rules in `settings/assignment.yml` pick a rep when a lead is qualified
or asks for a person (round robin within a team, territory, segment, account owner,
capacity, working hours, fallback), and the rule that fired is recorded on the lead.

`assign.assign_if_due` is called by the intake in the transaction that stores the lead;
`engine` chooses, `facts` says what rules can know, `reps` manages reps and teams.
"""
