Console.WriteLine("Samples: coming with the trainers.");
