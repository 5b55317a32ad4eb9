global using FluentAssertions;
global using Microsoft.VisualStudio.TestTools.UnitTesting;
