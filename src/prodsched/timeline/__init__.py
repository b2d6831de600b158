"""The shop floor in time: placed operations, fixed work, and (issue 19) the one
machine timeline every constructive scheduler and the re-timer book through."""
