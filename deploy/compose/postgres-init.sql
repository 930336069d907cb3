-- Written by deploy/stack.py from its description: edit that and run it, not this file.
CREATE DATABASE rasa_tracker OWNER leadbot;
