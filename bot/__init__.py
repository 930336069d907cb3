"""leadbot domain logic: parsing answers, scoring, the pipeline store. No Rasa imports here."""
