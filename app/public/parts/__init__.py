"""The event-dependent parts of the registration form, one module each; app.public.form_parts lists them
in their order on the form."""
