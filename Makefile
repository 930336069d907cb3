# leadbot: `make run` sets up and starts the bot; `make test` sets up and runs every test.
.PHONY: setup train run run-scaled test validate bench bench-perf clean

setup:
	@scripts/setup.sh

train: setup
	@scripts/train.sh

run: train
	@scripts/run.sh

# N Rasa processes and action servers behind HAProxy, PostgreSQL, Redis, two of each worker (docs/deploy.md).
run-scaled: train
	@scripts/run-scaled.sh $(or $(N),2)

validate: setup
	@bash -c 'source scripts/env.sh && cd "$$ROOT" && "$$RASA_VENV/bin/rasa" data validate --data data/*.yml' 

test: train
	@scripts/test.sh

bench: train
	@.venvs/app/bin/python bench/conversations.py

# Ours against Rasa's default config, side by side (about 30 min; QUICK=1 for about 10 min).
bench-perf: train
	@.venvs/app/bin/python bench/perf.py $(if $(QUICK),--quick,--all)

clean:
	rm -rf .venvs models/*.tar.gz models/.leadbot-fingerprint data/runtime tests/webchat/.rasa-webchat
