"""The applicant's pages. Views stay thin: load what the user may see (404 otherwise), ask the workflow
what the user may do, validate a form, call one service, add a message and redirect."""
