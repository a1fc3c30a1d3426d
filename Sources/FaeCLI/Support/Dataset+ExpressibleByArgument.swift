import ArgumentParser
import Dataset

// Dataset's enums parse straight from their raw values on the command line.
extension DatasetSplit: ExpressibleByArgument {}
extension DatasetImageFormat: ExpressibleByArgument {}
