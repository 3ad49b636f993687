"""Git review: what changed in records between revisions (``diff``), as Word tracked changes
(``redline``), a bundle for a pull request (``review``) and Git's own commands made to show it
(``git-setup``). Imports no engine until a redline is made."""
