# SPDX-License-Identifier: ISC
# hashproxy --keywords (TABLE NAME KIND [REASON], tab-separated) into the
# mdoc lists of hashproxy(8)'s KEYWORDS section.  keywords.t compares;
# after a table changes, replace the lists from the first ".Ss Keywords:"
# to ".Sh EVENT LINES" with:
#   hashproxy --keywords | awk -f tests/hashproxy/keywords-mdoc.awk
BEGIN {
	FS = "\t"
	title["section"] = "Sections"
	title["global"] = "global"
	title["proxy"] = "defaults, frontend, backend, listen"
	title["option"] = "option (after option or no option)"
	title["server"] = "server and default-server parameters"
	title["bind"] = "bind parameters"
	title["resolvers"] = "resolvers section"
}
function esc(s) {
	gsub(/\\/, "\\e", s)
	gsub(/"/, "\\(dq", s)
	return s
}
$1 != cur {
	if (cur != "")
		print ".El"
	print ".Ss Keywords: " title[$1]
	print ".Bl -column \"expose-experimental-directives\" \"implemented\" -compact"
	cur = $1
}
{
	line = ".It Ic " esc($2) " Ta " $3
	if (NF > 3)
		line = line " Ta " esc($4)
	print line
}
END {
	if (cur != "")
		print ".El"
}
