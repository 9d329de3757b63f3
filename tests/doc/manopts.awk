# SPDX-License-Identifier: ISC
# awk -f manopts.awk PAGE: every option a man page documents with
# ".It Fl ...", one a line: its long form ("--watch", or "-" when none)
# and its short one ("-w", or "-").  An .It that names two options ("--accept ,
# --no-accept") gives both; exit-status table rows (".It Fl -watch Ta 0")
# name options documented elsewhere and are skipped.
/^\.It Fl / {
	line = substr($0, 5)
	gsub(/\\-/, "-", line)
	gsub(/Fl Fl /, "Fl -", line)
	if (line ~ / Ta /)
		next
	n = split(line, part, / , /)
	short = ""; long = 0; delete longs
	for (i = 1; i <= n; i++) {
		split(part[i], w, " ")
		if (w[1] == "Fl")
			name = w[2]
		else if (w[1] ~ /^-/)
			name = w[1]
		else
			continue
		if (name ~ /^-[A-Za-z0-9-]/) {
			if (substr(name, 2, 1) != "-" && length(name) > 2)
				name = "-" name	# "-version" written without Fl Fl
			if (substr(name, 1, 2) == "--") {
				longs[++long] = name
			} else
				short = "-" substr(name, 2)
		} else if (name ~ /^[A-Za-z0-9]$/)
			short = "-" name
		else if (name ~ /^-?[A-Za-z0-9][A-Za-z0-9-]+$/) {
			sub(/^-/, "", name)
			longs[++long] = "--" name
		}
	}
	# the short form belongs to the first long one ("-a , --any")
	for (i = 1; i <= long; i++)
		print longs[i], (i == 1 && short != "" ? short : "-")
	if (!long && short != "")
		print "-", short
}
