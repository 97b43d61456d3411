"""The command line: `watchword db|tenant|apikey|keys|serve`."""
