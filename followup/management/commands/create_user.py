"""python manage.py create_user USERNAME --role coordinator|reviewer|administrator
[--county 04 …] [--email …] [--first-name …] [--last-name …]

Asks for the password twice at the terminal; from a pipe it reads the first line instead
(``secret-tool lookup … | python manage.py create_user …``). A password is never an argument:
arguments end up in the shell's history and in the process list.
"""

import getpass
import sys

from django.core.management.base import BaseCommand, CommandError

from core.roles import BY_NAME
from followup.services.users import UserError, user_create, user_role_problems


class Command(BaseCommand):
    help = (
        "Skapar en användare med en roll: regional samordnare (med ett eller flera län), "
        "departementets handläggare eller administratör. Lösenordet frågas efter två gånger "
        "(eller läses från första raden på standard in); det tas aldrig som argument."
    )

    def add_arguments(self, parser):
        parser.add_argument("username", help="Användarnamnet att logga in med.")
        parser.add_argument("--role", required=True, choices=sorted(BY_NAME), help="Rollen.")
        parser.add_argument(
            "--county",
            action="append",
            default=[],
            dest="counties",
            help="Länskod för en samordnare, t.ex. 04; ange flera gånger för flera län.",
        )
        parser.add_argument("--email", default="", help="E-postadress.")
        parser.add_argument("--first-name", default="", help="Förnamn.")
        parser.add_argument("--last-name", default="", help="Efternamn.")

    def handle(self, *args, **options):
        role = BY_NAME[options["role"]]
        username, counties = options["username"], options["counties"]
        problems = user_role_problems(username=username, role=role, county_codes=counties)
        if problems:  # before the password is typed in vain
            raise CommandError(" ".join(problems))
        password = self.read_password()
        try:
            user = user_create(
                username=username,
                role=role,
                password=password,
                county_codes=counties,
                email=options["email"],
                first_name=options["first_name"],
                last_name=options["last_name"],
            )
        except UserError as error:
            raise CommandError(error.message) from error
        where = f" för {', '.join(sorted(counties))}" if counties else ""
        self.stdout.write(f"Användaren {user.username} är skapad: {role.label}{where}.")

    def read_password(self) -> str:
        if not sys.stdin.isatty():
            line = sys.stdin.readline().rstrip("\r\n")
            if not line:
                raise CommandError("Inget lösenord på standard in.")
            return line
        first = getpass.getpass("Lösenord: ")
        if first != getpass.getpass("Lösenord igen: "):
            raise CommandError("Lösenorden är inte lika; ingen användare skapades.")
        return first
