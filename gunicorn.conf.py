"""gunicorn settings read from the project root (`gunicorn wsgi:app` finds this file by itself).

The access log never holds a personal-link token: the logger below blanks /r/<token> in every atom
(request line, path, referer...) before the line is written. create_app() also filters the same
loggers, so an access log configured differently is covered too; the atoms blanked here are marked
(log_redaction.Redacted) so that the filter does not go over them a second time.
"""

from gunicorn.glogging import Logger, SafeAtoms

from app.log_redaction import Redacted, redact

# Apache's combined format, with the request time in microseconds; tokens are already blanked in each atom.
access_log_format = '%(h)s %(l)s %(u)s %(t)s "%(r)s" %(s)s %(b)s "%(f)s" "%(a)s" %(D)s'
accesslog = "-"


class RedactedAtoms(SafeAtoms, Redacted):
    pass


class RedactingLogger(Logger):
    atoms_wrapper_class = RedactedAtoms

    def atoms(self, resp, req, environ, request_time):
        return {key: redact(value) if isinstance(value, str) else value
                for key, value in super().atoms(resp, req, environ, request_time).items()}


logger_class = RedactingLogger
